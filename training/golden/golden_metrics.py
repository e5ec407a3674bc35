"""Golden values for src/core/metrics/*.ts, computed by scikit-learn 1.2 and numpy
(and a numpy transcription of MONAI's DiceMetric empty-mask rules), written to
src/core/metrics/fixtures/metrics_golden.json.

Run: /usr/bin/python3 -m training.golden.golden_metrics

Inputs are drawn from a seeded numpy generator and stored in the JSON next to the
expected outputs, so the TypeScript tests read both from one file. Bootstrap resamples
use mulberry32 (the same integer generator as src/core/rng.ts, transcribed in mulberry32.py) so
both languages draw the same indices; numpy and sklearn then compute the statistic and
the percentile interval (numpy's default linear interpolation)."""
import json, math, os
import numpy as np
from sklearn.metrics import (
    accuracy_score, average_precision_score, confusion_matrix, jaccard_score,
    precision_recall_curve, precision_recall_fscore_support, roc_auc_score, roc_curve, auc, f1_score,
)

from training.golden.mulberry32 import mulberry32

rng = np.random.default_rng(20261126)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'core', 'metrics', 'fixtures', 'metrics_golden.json')


def floats(a):
    return [None if (isinstance(x, float) and math.isnan(x)) else float(x) for x in np.asarray(a, dtype=float).ravel()]


def prf(y_true, y_pred, average, zd, labels=None):
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=zd, labels=labels)
    out = {'precision': floats(p) if average is None else float(p),
           'recall': floats(r) if average is None else float(r),
           'f1': floats(f) if average is None else float(f)}
    if average is None:
        out['support'] = [int(x) for x in s]
    return out


# 1. Binary: a random case and one with no predicted positives
binary = []
for name, y_true, y_pred in [
    ('random', rng.integers(0, 2, 40), rng.integers(0, 2, 40)),
    ('no-predicted-positives', np.array([1, 0, 1, 0, 0]), np.zeros(5, dtype=int)),
    ('no-positives-at-all', np.zeros(4, dtype=int), np.zeros(4, dtype=int)),
]:
    for zd in (0, 1):
        binary.append({'name': name, 'zero_division': zd, 'truth': y_true.tolist(), 'predicted': y_pred.tolist(),
                       **prf(y_true, y_pred, 'binary', zd, labels=None)})

# 2. Multi-class: 5 classes, class 4 never occurs in truth, class 3 never predicted
multiclass = []
y_true = rng.integers(0, 4, 60)
y_pred = rng.choice([0, 1, 2, 4], 60)
for zd in (0, 1):
    labels = list(range(5))
    multiclass.append({
        'zero_division': zd, 'class_count': 5, 'truth': y_true.tolist(), 'predicted': y_pred.tolist(),
        'confusion': confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        'accuracy': float(accuracy_score(y_true, y_pred)),
        'per_class': prf(y_true, y_pred, None, zd, labels),
        'macro': prf(y_true, y_pred, 'macro', zd, labels),
        'micro': prf(y_true, y_pred, 'micro', zd, labels),
        'weighted': prf(y_true, y_pred, 'weighted', zd, labels),
    })

# 3. Multi-label: 30 samples x 3 labels; label 2 is all-negative in truth and prediction
multilabel = []
Y_true = rng.integers(0, 2, (30, 3)); Y_true[:, 2] = 0
Y_pred = rng.integers(0, 2, (30, 3)); Y_pred[:, 2] = 0
Y_true[0] = 0; Y_pred[0] = 0  # a sample with no labels at all, for the samples average
for zd in (0, 1):
    multilabel.append({
        'zero_division': zd, 'truth': Y_true.tolist(), 'predicted': Y_pred.tolist(),
        'per_label': prf(Y_true, Y_pred, None, zd),
        **{avg: prf(Y_true, Y_pred, avg, zd) for avg in ('macro', 'micro', 'weighted', 'samples')},
    })

# 4. Curves: binary scores with ties (one decimal), ROC with and without intermediate points, PR, AUCs
curves = []
for name, y, s in [
    ('ties', rng.integers(0, 2, 50), np.round(rng.random(50), 1)),
    ('continuous', rng.integers(0, 2, 80), rng.random(80)),
]:
    fpr, tpr, thr = roc_curve(y, s)
    fpr_all, tpr_all, thr_all = roc_curve(y, s, drop_intermediate=False)
    precision, recall, pr_thr = precision_recall_curve(y, s)
    curves.append({
        'name': name, 'truth': y.tolist(), 'scores': s.tolist(),
        # sklearn 1.2 puts max(score) + 1 as the first ROC threshold; we use +Infinity: compare thresholds[1:]
        'roc': {'fpr': floats(fpr), 'tpr': floats(tpr), 'thresholds_after_first': floats(thr[1:])},
        'roc_all': {'fpr': floats(fpr_all), 'tpr': floats(tpr_all)},
        'roc_auc': float(roc_auc_score(y, s)),
        'pr': {'precision': floats(precision), 'recall': floats(recall), 'thresholds': floats(pr_thr)},
        'average_precision': float(average_precision_score(y, s)),
        'pr_auc_trapezoid': float(auc(recall, precision)),
    })

# multi-class one-vs-rest AUC from softmax-like probabilities
y_mc = rng.integers(0, 4, 70)
probs = rng.dirichlet(np.ones(4), 70)
probs[np.arange(70), y_mc] += 0.3
probs /= probs.sum(axis=1, keepdims=True)
ovr = {
    'truth': y_mc.tolist(), 'probabilities': probs.tolist(),
    'per_class': [float(roc_auc_score(y_mc == k, probs[:, k])) for k in range(4)],
    'macro': float(roc_auc_score(y_mc, probs, multi_class='ovr', average='macro')),
    'weighted': float(roc_auc_score(y_mc, probs, multi_class='ovr', average='weighted')),
}


# 5. Dice and IoU. MONAI DiceMetric.compute_channel, transcribed:
#    ground truth non-empty: 2|A∩B|/(|A|+|B|); empty and ignore_empty: nan;
#    empty, not ignore_empty: 1 if the prediction is empty too, else 0.
def monai_dice(pred, truth, ignore_empty):
    y_o = truth.sum()
    if y_o > 0:
        return 2.0 * np.logical_and(pred, truth).sum() / (y_o + pred.sum())
    if ignore_empty:
        return float('nan')
    return 1.0 if y_o + pred.sum() <= 0 else 0.0


segmentation = []
for name, pred, truth in [
    ('random', rng.random(400) < 0.4, rng.random(400) < 0.5),
    ('overlap', np.arange(100) < 60, (np.arange(100) >= 20) & (np.arange(100) < 90)),
    ('both-empty', np.zeros(50, bool), np.zeros(50, bool)),
    ('truth-empty', np.arange(50) < 5, np.zeros(50, bool)),
    ('prediction-empty', np.zeros(50, bool), np.arange(50) < 5),
]:
    segmentation.append({
        'name': name, 'prediction': pred.astype(int).tolist(), 'truth': truth.astype(int).tolist(),
        'dice_empty_is_one': monai_dice(pred, truth, False),
        'dice_ignore_empty': None if math.isnan(monai_dice(pred, truth, True)) else monai_dice(pred, truth, True),
        # sklearn's zero_division=1 gives IoU 1 when both masks are empty, the same rule as Dice
        'iou': float(jaccard_score(truth, pred, zero_division=1)),
    })


# 5b. HD95 as MONAI's compute_hausdorff_distance(percentile=95), transcribed with scipy:
#     surface = mask XOR binary_erosion(mask) (cross structure, border as background),
#     distances by the Euclidean distance transform of the other surface's complement.
from scipy.ndimage import binary_erosion, distance_transform_edt


def hd95(pred, truth):
    ep = pred ^ binary_erosion(pred)
    et = truth ^ binary_erosion(truth)
    if not ep.any() or not et.any():
        return float('nan')
    d_pt = distance_transform_edt(~et)[ep]
    d_tp = distance_transform_edt(~ep)[et]
    return float(max(np.percentile(d_pt, 95), np.percentile(d_tp, 95)))


def blob(h, w, cy, cx, ry, rx):
    yy, xx = np.mgrid[0:h, 0:w]
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1


hausdorff = []
for name, pred, truth in [
    ('shifted-ellipses', blob(40, 48, 20, 22, 10, 14), blob(40, 48, 22, 25, 11, 12)),
    ('noisy', blob(32, 32, 16, 16, 9, 9) ^ (rng.random((32, 32)) < 0.05), blob(32, 32, 15, 17, 10, 8)),
    ('touching-border', blob(20, 20, 2, 10, 6, 8), blob(20, 20, 4, 10, 6, 8)),
    ('empty-prediction', np.zeros((10, 10), bool), blob(10, 10, 5, 5, 3, 3)),
]:
    h, w = truth.shape
    v = hd95(pred, truth)
    hausdorff.append({'name': name, 'width': w, 'height': h, 'prediction': pred.astype(int).ravel().tolist(),
                      'truth': truth.astype(int).ravel().tolist(), 'hd95': None if math.isnan(v) else v})


# 6. Bootstrap with mulberry32 indices (src/core/rng.ts), percentile intervals by numpy
def resamples(n, iterations, seed):
    u = mulberry32(seed)
    return [np.array([int(u() * n) for _ in range(n)]) for _ in range(iterations)]


values_a = rng.random(37)
values_b = values_a - 0.05 + 0.1 * rng.random(37)
ITER, SEED = 300, 7
idx = resamples(37, ITER, SEED)
mean_a = np.array([values_a[i].mean() for i in idx])
diff = np.array([values_a[i].mean() - values_b[i].mean() for i in idx])
f1_idx = resamples(60, ITER, SEED)
macro_f1 = np.array([f1_score(y_true[i], y_pred[i], average='macro', labels=list(range(5)), zero_division=0) for i in f1_idx])
bootstrap = {
    'iterations': ITER, 'seed': SEED, 'level': 0.95,
    'first_indices': idx[0].tolist(),
    'mean': {'values': values_a.tolist(), 'estimate': float(values_a.mean()),
             'low': float(np.percentile(mean_a, 2.5)), 'high': float(np.percentile(mean_a, 97.5))},
    'paired_difference': {'a': values_a.tolist(), 'b': values_b.tolist(), 'estimate': float(values_a.mean() - values_b.mean()),
                          'low': float(np.percentile(diff, 2.5)), 'high': float(np.percentile(diff, 97.5))},
    'macro_f1': {'estimate': float(f1_score(y_true, y_pred, average='macro', labels=list(range(5)), zero_division=0)),
                 'low': float(np.percentile(macro_f1, 2.5)), 'high': float(np.percentile(macro_f1, 97.5))},
    'percentile': {'values': values_b.tolist(), 'q': [0, 2.5, 50, 97.5, 100],
                   'expected': floats(np.percentile(values_b, [0, 2.5, 50, 97.5, 100]))},
}

with open(OUT, 'w') as f:
    json.dump({'generator': 'training/golden/golden_metrics.py', 'binary': binary, 'multiclass': multiclass, 'multilabel': multilabel,
               'curves': curves, 'ovr': ovr, 'segmentation': segmentation, 'hausdorff': hausdorff, 'bootstrap': bootstrap}, f)
print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes')
