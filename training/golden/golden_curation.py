"""Golden values for the curation modules (src/core/curation/*.ts), the experiment algorithms
(src/core/experiments/*.ts) and the synthetic-set quality metrics (src/core/metrics/fid.ts,
msSsim.ts), written to src/core/curation/fixtures/curation_golden.json.

Run: /usr/bin/python3 -m training.golden.golden_curation   (numpy, scipy, scikit-learn from apt)

References:
- proxy scores: softmax (scipy.special.softmax) and Dice 2|A&B|/(|A|+|B|) by numpy;
- agreement: sklearn.metrics.confusion_matrix / cohen_kappa_score;
- threshold suggestion: the first maximum of Youden's J = tpr - fpr over
  sklearn.metrics.roc_curve(drop_intermediate=False) thresholds (the +inf/max+1 start left out);
- acceptance: numpy group-by over the same records;
- logistic regression: sklearn LogisticRegression(penalty='l2', C, solver='newton-cg',
  tol=1e-10), binary and multi_class='ovr', after StandardScaler;
- FID: the pytorch-fid formula with scipy.linalg.sqrtm (Schur), and the same trace by
  symmetric eigendecomposition (numpy.linalg.eigh), which is what the TypeScript does;
- MS-SSIM: a float64 numpy transcription of pytorch_msssim.ms_ssim (11-tap Gaussian,
  sigma 1.5, valid filtering, K=(0.01, 0.03), 5 scales, weights
  [0.0448, 0.2856, 0.3001, 0.2363, 0.1333], relu on cs and ssim, 2x2 average pooling with
  padding s % 2 and count_include_pad).
Inputs are stored with the outputs (or, for images, made from mulberry32 as src/core/rng.ts)."""
import json, math, os
import numpy as np
import scipy.linalg
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, confusion_matrix, roc_curve
from sklearn.preprocessing import StandardScaler

from training.golden.mulberry32 import mulberry32

rng = np.random.default_rng(20261126)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'core', 'curation', 'fixtures', 'curation_golden.json')


def fl(a):
    return [float(x) for x in np.asarray(a, dtype=float).ravel()]


# 1. Proxy scores: finding probability from logits, Dice in the convention channel
proxy = []
for name, cls, convention in [('tb-shenzhen', 2, 'shenzhen'), ('normal-v7', 0, None), ('covid-no-mask', 3, 'none')]:
    logits = rng.normal(0, 2, 4)
    cond = (rng.random(64) < 0.4).astype(int)
    seg = np.stack([(rng.random(64) < 0.5).astype(int), np.where(rng.random(64) < 0.8, cond, 1 - cond)])
    channel = 1 if convention == 'shenzhen' else 0
    a, b = cond, seg[channel]
    d = 2 * np.sum(a & b) / (a.sum() + b.sum())
    proxy.append({'name': name, 'logits': fl(logits), 'class_index': cls,
                  'convention': None if convention == 'none' else convention,
                  'masked': convention != 'none', 'condition': cond.tolist(), 'segmented': seg.tolist(),
                  'probability': float(softmax(logits)[cls]), 'dice': float(d) if convention != 'none' else None})

# 2. Proxy vs reviewer agreement
agreement = []
for name, n in [('random', 30), ('small', 7)]:
    proxy_keep = rng.integers(0, 2, n)
    accepted = rng.integers(0, 2, n)
    agreement.append({'name': name, 'proxy_keep': proxy_keep.tolist(), 'accepted': accepted.tolist(),
                      'matrix': confusion_matrix(accepted, proxy_keep, labels=[0, 1]).tolist(),
                      'kappa': float(cohen_kappa_score(accepted, proxy_keep))})

# 3. Threshold suggestion (Youden's J on the ROC of score vs reviewer accept)
thresholds = []
for name, n, ties in [('continuous', 40, False), ('tied', 30, True)]:
    accepted = rng.integers(0, 2, n)
    score = np.clip(0.35 * accepted + rng.normal(0.4, 0.2, n), 0, 1)
    if ties:
        score = np.round(score, 1)
    fpr, tpr, th = roc_curve(accepted, score, drop_intermediate=False)
    j = (tpr - fpr)[1:]
    best = int(np.argmax(j))
    keep = score >= th[1:][best]
    thresholds.append({'name': name, 'score': fl(score), 'accepted': accepted.tolist(),
                       'threshold': float(th[1:][best]), 'youden': float(j[best]),
                       'agreement': float(np.mean(keep == accepted.astype(bool)))})

# 4. Acceptance per group: rate and mean realism (null realism left out of the mean)
keys = ['chest x-ray, pneumonia, adult', 'chest x-ray, tuberculosis, adult', 'chest x-ray, no finding, adult']
records = []
for _ in range(25):
    realism = int(rng.integers(1, 6))
    records.append({'key': keys[int(rng.integers(0, 3))], 'accepted': bool(rng.random() < 0.6),
                    'realism': None if rng.random() < 0.2 else realism})
acceptance = []
for key in sorted(set(r['key'] for r in records)):
    group = [r for r in records if r['key'] == key]
    realisms = [r['realism'] for r in group if r['realism'] is not None]
    acceptance.append({'key': key, 'n': len(group), 'accepted': int(sum(r['accepted'] for r in group)),
                       'rate': float(np.mean([r['accepted'] for r in group])),
                       'mean_realism': float(np.mean(realisms)) if realisms else None})

# 5. Logistic regression (L2) on standardized features
logistic = []
for name, n, d, k, C in [('binary', 60, 5, 2, 1.0), ('binary-strong-l2', 40, 8, 2, 0.05), ('ovr-3class', 90, 4, 3, 0.5)]:
    y = rng.integers(0, k, n)
    centers = rng.normal(0, 1.2, (k, d))
    X = centers[y] + rng.normal(0, 1, (n, d)) * rng.uniform(0.5, 3, d) + rng.uniform(-2, 2, d)
    scaler = StandardScaler().fit(X)
    Z = scaler.transform(X)
    model = LogisticRegression(penalty='l2', C=C, solver='newton-cg', tol=1e-10, max_iter=1000,
                               multi_class='ovr' if k > 2 else 'auto').fit(Z, y)
    Xt = centers[rng.integers(0, k, 10)] + rng.normal(0, 1, (10, d)) + rng.uniform(-2, 2, d)
    logistic.append({'name': name, 'C': C, 'classes': k, 'X': [fl(r) for r in X], 'y': y.tolist(),
                     'mean': fl(scaler.mean_), 'scale': fl(scaler.scale_),
                     'coef': [fl(r) for r in model.coef_], 'intercept': fl(model.intercept_),
                     'X_test': [fl(r) for r in Xt],
                     'proba_test': [fl(r) for r in model.predict_proba(scaler.transform(Xt))]})

# 6. FID (pytorch-fid formula): |mu1-mu2|^2 + tr(S1 + S2 - 2 sqrtm(S1 S2))
def fid_sqrtm(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
    covmean = covmean.real
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def fid_eigh(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(s1)
    root1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    inner = np.linalg.eigvalsh(root1 @ s2 @ root1)
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.sum(np.sqrt(np.clip(inner, 0, None))))


fid = []
for name, n1, n2, d, shift in [('same-distribution', 60, 50, 6, 0.0), ('shifted', 80, 70, 12, 0.8), ('fewer-samples-than-dims', 6, 7, 10, 0.5)]:
    mix = rng.normal(0, 1, (d, d))
    a = rng.normal(0, 1, (n1, d)) @ mix
    b = rng.normal(shift, 1, (n2, d)) @ (mix + rng.normal(0, 0.3, (d, d)))
    entry = {'name': name, 'a': [fl(r) for r in a], 'b': [fl(r) for r in b], 'fid_eigh': fid_eigh(a, b)}
    if n1 > d and n2 > d:
        entry['fid_sqrtm'] = fid_sqrtm(a, b)
    fid.append(entry)

# 7. MS-SSIM (numpy transcription of pytorch_msssim.ms_ssim)
WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])


def gauss_window(size=11, sigma=1.5):
    coords = np.arange(size, dtype=float) - size // 2
    g = np.exp(-(coords ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def filt(x, g):
    n = len(g)
    rows = np.stack([x[:, i:i + x.shape[1] - n + 1] for i in range(n)], 0)
    x = np.tensordot(g, rows, axes=1)
    cols = np.stack([x[i:i + x.shape[0] - n + 1, :] for i in range(n)], 0)
    return np.tensordot(g, cols, axes=1)


def ssim_cs(x, y, data_range):
    g = gauss_window()
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    mu1, mu2 = filt(x, g), filt(y, g)
    s11 = filt(x * x, g) - mu1 ** 2
    s22 = filt(y * y, g) - mu2 ** 2
    s12 = filt(x * y, g) - mu1 * mu2
    cs_map = (2 * s12 + c2) / (s11 + s22 + c2)
    ssim_map = ((2 * mu1 * mu2 + c1) / (mu1 ** 2 + mu2 ** 2 + c1)) * cs_map
    return ssim_map.mean(), cs_map.mean()


def avg_pool2(x):
    ph, pw = x.shape[0] % 2, x.shape[1] % 2
    x = np.pad(x, ((ph, ph), (pw, pw)))
    h, w = (x.shape[0] - 2) // 2 + 1, (x.shape[1] - 2) // 2 + 1
    x = x[:2 * h, :2 * w]
    return x.reshape(h, 2, w, 2).mean(axis=(1, 3))


def ms_ssim(x, y, data_range=1.0):
    mcs = []
    for i in range(len(WEIGHTS)):
        s, cs = ssim_cs(x, y, data_range)
        if i < len(WEIGHTS) - 1:
            mcs.append(max(cs, 0.0))
            x, y = avg_pool2(x), avg_pool2(y)
    values = np.array(mcs + [max(s, 0.0)])
    return float(np.prod(values ** WEIGHTS))


def test_image(seed, h, w, wave):
    u = mulberry32(seed)
    noise = np.array([u() for _ in range(h * w)]).reshape(h, w)
    yy, xx = np.mgrid[0:h, 0:w]
    return np.clip(0.5 + 0.3 * np.sin(xx / wave) * np.cos(yy / (wave * 1.3)) + 0.25 * (noise - 0.5), 0, 1)


msssim = []
for name, (sa, sb, h, w, wa, wb) in {'similar-176': (1, 2, 176, 176, 9.0, 9.0),
                                     'different-odd-181x193': (3, 4, 181, 193, 7.0, 15.0),
                                     'identical-170': (5, 5, 170, 170, 6.0, 6.0)}.items():
    a, b = test_image(sa, h, w, wa), test_image(sb, h, w, wb)
    msssim.append({'name': name, 'a': {'seed': sa, 'height': h, 'width': w, 'wave': wa},
                   'b': {'seed': sb, 'height': h, 'width': w, 'wave': wb}, 'ms_ssim': ms_ssim(a, b)})

with open(OUT, 'w') as f:
    json.dump({'generator': 'training/golden/golden_curation.py', 'proxy': proxy, 'agreement': agreement,
               'thresholds': thresholds, 'acceptance': {'records': records, 'groups': acceptance},
               'logistic': logistic, 'fid': fid, 'ms_ssim': msssim}, f)
print('wrote', OUT)
for e in fid:
    print(e['name'], e['fid_eigh'], e.get('fid_sqrtm'))
for e in msssim:
    print(e['name'], e['ms_ssim'])


# 8. Augmentation experiment (src/core/experiments/augmentExperiment.ts): mulberry32 Fisher-Yates
#    subsets, StandardScaler + LogisticRegression(l2, newton-cg), F1 of class 1 by sklearn, and a
#    mulberry32 percentile bootstrap (numpy linear percentiles) as in golden_metrics.py.
from sklearn.metrics import f1_score


def permutation(n, seed):
    order = list(range(n))
    u = mulberry32(seed)
    for i in range(n - 1, 0, -1):
        j = int(u() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def bootstrap(truth, pred, iterations, seed, level=0.95):
    u = mulberry32(seed)
    n = len(truth)
    samples = []
    for _ in range(iterations):
        idx = [int(u() * n) for _ in range(n)]
        samples.append(f1_score(truth[idx], pred[idx], zero_division=0))
    tail = (1 - level) / 2 * 100
    return float(np.percentile(samples, tail)), float(np.percentile(samples, 100 - tail))


def bootstrap_diff(truth, pred, base, iterations, seed, level=0.95):
    u = mulberry32(seed)
    n = len(truth)
    samples = []
    for _ in range(iterations):
        idx = [int(u() * n) for _ in range(n)]
        samples.append(f1_score(truth[idx], pred[idx], zero_division=0) - f1_score(truth[idx], base[idx], zero_division=0))
    tail = (1 - level) / 2 * 100
    return float(np.percentile(samples, tail)), float(np.percentile(samples, 100 - tail))


d = 6
centers = np.array([[0.0] * d, [0.9] * d])
def make(n, noise):
    y = rng.integers(0, 2, n)
    return centers[y] + rng.normal(0, noise, (n, d)), y
real_X, real_y = make(60, 1.6)
syn_X, syn_y = make(80, 1.2)
test_X, test_y = make(50, 1.6)
exp_seed, C, iterations, sizes, ratios = 5, 0.5, 200, [10, 30], [0, 1, 2]
real_order, syn_order = permutation(60, exp_seed), permutation(80, exp_seed + 1)
rows = []
for size in sizes:
    base = None
    for ratio in ratios:
        ri = real_order[:size]
        si = syn_order[:round(ratio * size)]
        X = np.concatenate([real_X[ri], syn_X[si]]) if si else real_X[ri]
        y = np.concatenate([real_y[ri], syn_y[si]]) if si else real_y[ri]
        scaler = StandardScaler().fit(X)
        model = LogisticRegression(C=C, solver='newton-cg', tol=1e-10, max_iter=1000).fit(scaler.transform(X), y)
        pred = model.predict(scaler.transform(test_X))
        if ratio == 0:
            base = pred
        low, high = bootstrap(test_y, pred, iterations, exp_seed)
        row = {'size': size, 'ratio': ratio, 'f1': float(f1_score(test_y, pred, zero_division=0)), 'low': low, 'high': high}
        if ratio != 0:
            row['gain_low'], row['gain_high'] = bootstrap_diff(test_y, pred, base, iterations, exp_seed)
        rows.append(row)
augment = {'real': {'X': [fl(r) for r in real_X], 'y': real_y.tolist()}, 'synthetic': {'X': [fl(r) for r in syn_X], 'y': syn_y.tolist()},
           'test': {'X': [fl(r) for r in test_X], 'y': test_y.tolist()}, 'seed': exp_seed, 'C': C, 'iterations': iterations,
           'sizes': sizes, 'ratios': ratios, 'rows': rows}
with open(OUT) as f:
    everything = json.load(f)
everything['augment'] = augment
with open(OUT, 'w') as f:
    json.dump(everything, f)
print('augment', rows)


# 9. Per-pixel segmentation head (src/core/experiments/pixelFeatures.ts, segAugmentExperiment.ts):
#    features [logit, (2r+1)^2 box mean of the logit clipped to the image, intensity, x, y, |x-0.5|]
#    with x = (col+0.5)/W, y = (row+0.5)/H; pixels drawn with replacement as floor(mulberry32()*N);
#    StandardScaler + LogisticRegression(l2, newton-cg); the mask is p >= 0.5; Dice by numpy.
#    Its own generator, so sections 1-8 keep their values.
prng = np.random.default_rng(9)


def seg_view(h, w):
    yy, xx = np.mgrid[0:h, 0:w]
    inside = (((xx - w * 0.45) / (w * 0.3)) ** 2 + ((yy - h * 0.5) / (h * 0.35)) ** 2) < 1
    logits = np.where(inside, 1.5, -1.5) + prng.normal(0, 1.8, (h, w))
    intensity = np.clip(0.3 + 0.4 * inside + prng.normal(0, 0.15, (h, w)), 0, 1)
    return {'width': w, 'height': h, 'logits': logits, 'intensity': intensity, 'mask': inside.astype(int)}


def box_mean(v, r):
    h, w = v.shape
    out = np.empty_like(v)
    for y in range(h):
        for x in range(w):
            out[y, x] = v[max(0, y - r):min(h, y + r + 1), max(0, x - r):min(w, x + r + 1)].mean()
    return out


def pixel_features(view, r):
    h, w = view['height'], view['width']
    yy, xx = np.mgrid[0:h, 0:w]
    u, v = (xx + 0.5) / w, (yy + 0.5) / h
    cols = [view['logits'], box_mean(view['logits'], r), view['intensity'], u, v, np.abs(u - 0.5)]
    return np.stack([c.ravel() for c in cols], axis=1)


radius, pixel_C, per_image = 2, 1.0, 90
train_views = [seg_view(12, 10), seg_view(9, 14)]
pixel_seeds = [101, 202]
X, y = [], []
for view, seed in zip(train_views, pixel_seeds):
    u = mulberry32(seed)
    picks = [int(u() * view['width'] * view['height']) for _ in range(per_image)]
    X.append(pixel_features(view, radius)[picks])
    y.append(view['mask'].ravel()[picks])
X, y = np.concatenate(X), np.concatenate(y)
scaler = StandardScaler().fit(X)
head = LogisticRegression(penalty='l2', C=pixel_C, solver='newton-cg', tol=1e-10, max_iter=1000).fit(scaler.transform(X), y)
test_view = seg_view(11, 13)
proba = head.predict_proba(scaler.transform(pixel_features(test_view, radius)))[:, 1]
pred = (proba >= 0.5).astype(int)
truth = test_view['mask'].ravel()
as_json = lambda view: {'width': view['width'], 'height': view['height'], 'logits': fl(view['logits']),
                        'intensity': fl(view['intensity']), 'mask': view['mask'].ravel().tolist()}
pixel_head = {'radius': radius, 'C': pixel_C, 'pixels_per_image': per_image, 'seeds': pixel_seeds,
              'train': [as_json(v) for v in train_views], 'test': as_json(test_view),
              'mean': fl(scaler.mean_), 'scale': fl(scaler.scale_), 'coef': fl(head.coef_[0]), 'intercept': float(head.intercept_[0]),
              'proba_test': fl(proba), 'mask_test': pred.tolist(),
              'dice_test': float(2 * (pred & truth).sum() / (pred.sum() + truth.sum()))}
with open(OUT) as f:
    everything = json.load(f)
everything['pixel_head'] = pixel_head
with open(OUT, 'w') as f:
    json.dump(everything, f)
print('pixel head: dice', pixel_head['dice_test'], 'coef', pixel_head['coef'])
