"""Shortcut probe: does a classifier read the finding or the hospital?

Two measurements on real images of every source in ../shared/data/cxr256 (all splits,
up to --per-source images per source, the same seeded pick for every classifier):

1. Source probe. A linear probe (standardised logistic regression, stratified 5-fold
   cross-validation) predicts the image's SOURCE from the classifier's 256-d features;
   balanced accuracy, against chance (1 / number of sources). Also within each finding
   (e.g. covid-19 from ieee8023 vs Hannover, tuberculosis from Shenzhen vs TBX11K), where
   a high score means the features tell the hospitals apart even when the finding is the
   same, and on 32x32 pixels as a yardstick of how much source the image itself shows.
2. Lungs blacked out. The lungs (the segmenter's two convention channels, united and
   dilated by 4 pixels) are set to 0 and the classifier reads the image again: accuracy
   per source with and without lungs, and what it calls the lung-less images. A classifier
   that reads the finding should lose it (fall to chance or to one class); one that keeps
   its accuracy reads something outside the lungs (borders, text, the source).

Classifier and segmenter: an ONNX file (onnxruntime: use /work/venv-ort/bin/python) or a
train_all.py npz (classifier.npz / segmenter.npz; torch only).

    /work/venv-ort/bin/python -m training.evaluate.shortcut_probe \\
        --classifier public/models/cxr-studio-v1/classifier.onnx \\
        --segmenter public/models/cxr-studio-v1/segmenter.onnx --out training/runs/shortcut_probe_v1.json
"""
import argparse
import datetime
import json
import os
import platform
import sys

import numpy as np
from PIL import Image

from training.data.cxrdata import CLASSES, read_records  # noqa: E402


def load_model(path, kind):
    """A function images [N,1,256,256] float32 in [0,1] -> tuple of numpy outputs."""
    if path.endswith('.onnx'):
        import onnxruntime as ort
        sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
        return lambda x: tuple(sess.run(None, {'image': x}))
    import torch
    from training.models.networks import Classifier, build_segmenter
    z = np.load(path)
    meta = json.loads(bytes(z['__meta__']).decode())
    prefix = kind + '/'
    sd = {k[len(prefix):]: torch.from_numpy(z[k].astype(np.float32) if z[k].dtype == np.float16 else z[k])
          for k in z.files if k.startswith(prefix)}
    model = Classifier(**meta.get('kwargs', {})) if kind == 'classifier' else build_segmenter(meta)  # at its seg_size
    (model if kind == 'classifier' else model.net).load_state_dict(sd)
    model.eval()

    def run(x):
        with torch.no_grad():
            y = model(torch.from_numpy(x))
        return tuple(t.numpy() for t in (y if isinstance(y, tuple) else (y,)))
    return run


def batched(fn, x, bs=32):
    outs = [fn(x[i:i + bs]) for i in range(0, len(x), bs)]
    return tuple(np.concatenate(parts) for parts in zip(*outs))


def pick_records(data_dir, per_source, seed):
    """Up to per_source images of each source, spread over its findings as evenly as the
    source allows (a seeded, classifier-independent pick)."""
    rng = np.random.default_rng(seed)
    recs = [r for r in read_records(data_dir)]
    out = []
    for source in sorted({r['source'] for r in recs}):
        by_finding = {}
        for r in recs:
            if r['source'] == source:
                by_finding.setdefault(r['cls'], []).append(r)
        groups = [rng.permutation(len(v)) for v in by_finding.values()]
        chosen, k = [], 0
        while len(chosen) < per_source and any(k < len(g) for g in groups):
            for g, v in zip(groups, by_finding.values()):
                if k < len(g) and len(chosen) < per_source:
                    chosen.append(v[g[k]])
            k += 1
        out += chosen
    return out


def probe(features, labels, seed, folds=5):
    """Cross-validated balanced accuracy of a linear probe, with chance and n."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    names, y = np.unique(labels, return_inverse=True)
    folds = min(folds, int(np.bincount(y).min()))
    if len(names) < 2 or folds < 2:
        return None
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000, class_weight='balanced'))
    pred = cross_val_predict(clf, features, y, cv=StratifiedKFold(folds, shuffle=True, random_state=seed))
    return {'balanced_accuracy': round(float(balanced_accuracy_score(y, pred)), 4),
            'chance': round(1.0 / len(names), 4), 'n': {str(n): int(c) for n, c in zip(names, np.bincount(y))},
            'folds': folds}


def black_out_lungs(images, seg_logits, dilate=4):
    from scipy.ndimage import binary_dilation
    lungs = (seg_logits > 0).any(axis=1)
    out = images.copy()
    for i in range(len(images)):
        out[i, 0][binary_dilation(lungs[i], iterations=dilate)] = 0.0
    return out, lungs.reshape(len(lungs), -1).mean(1)


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--classifier', required=True, help='classifier.onnx or a train_all.py classifier.npz')
    ap.add_argument('--segmenter', required=True, help='segmenter.onnx or a train_all.py segmenter.npz')
    ap.add_argument('--data', default=os.path.join(here, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--per-source', type=int, default=120)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', required=True)
    args = ap.parse_args()

    recs = pick_records(args.data, args.per_source, args.seed)
    images = np.stack([np.asarray(Image.open(os.path.join(args.data, r['folder'], r['file'])).convert('L'), np.float32) / 255.0
                       for r in recs])[:, None]
    source = np.array([r['source'] for r in recs])
    cls = np.array([r['cls'] for r in recs])
    classify = load_model(args.classifier, 'classifier')
    segment = load_model(args.segmenter, 'segmenter')
    logits, features = batched(classify, images)[:2]
    (seg_logits,) = batched(segment, images)[:1]
    masked, lung_area = black_out_lungs(images, seg_logits)
    logits_masked = batched(classify, masked)[0]

    res = {'classifier': args.classifier, 'segmenter': args.segmenter, 'n_images': len(recs),
           'per_source_cap': args.per_source, 'seed': args.seed,
           'date': datetime.date.today().isoformat(), 'machine': f'{platform.node()} ({os.cpu_count()} CPU cores)'}
    res['source_probe'] = {'all_images': probe(features, source, args.seed)}
    for c, name in enumerate(CLASSES):
        sel = cls == c
        res['source_probe'][f'within_{name}'] = probe(features[sel], source[sel], args.seed)
    small = images[:, 0].reshape(len(images), 32, 8, 32, 8).mean((2, 4)).reshape(len(images), -1)
    res['source_probe_pixels32'] = {'all_images': probe(small, source, args.seed)}
    for c, name in enumerate(CLASSES):
        sel = cls == c
        res['source_probe_pixels32'][f'within_{name}'] = probe(small[sel], source[sel], args.seed)

    pred, pred_m = logits.argmax(1), logits_masked.argmax(1)
    per = {}
    for s in sorted(set(source)):
        sel = (source == s) & (cls >= 0)
        if not sel.any():
            continue
        per[s] = {'n': int(sel.sum()), 'classes': sorted(CLASSES[c] for c in set(cls[sel])),
                  'accuracy': round(float((pred[sel] == cls[sel]).mean()), 4),
                  'accuracy_lungs_blacked_out': round(float((pred_m[sel] == cls[sel]).mean()), 4),
                  'same_call_lungs_blacked_out': round(float((pred_m[sel] == pred[sel]).mean()), 4),
                  'calls_lungs_blacked_out': {n: int((pred_m[sel] == c).sum()) for c, n in enumerate(CLASSES)},
                  'lung_area_mean': round(float(lung_area[source == s].mean()), 4)}
    sel = cls >= 0
    res['lungs_blacked_out'] = {
        'all': {'n': int(sel.sum()), 'accuracy': round(float((pred[sel] == cls[sel]).mean()), 4),
                'accuracy_lungs_blacked_out': round(float((pred_m[sel] == cls[sel]).mean()), 4),
                'same_call_lungs_blacked_out': round(float((pred_m[sel] == pred[sel]).mean()), 4)},
        'per_source': per,
        'how': "segmenter logits > 0 in either convention channel, dilated 4 px, set to 0; JSRT nodule images skipped"}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(res, f, indent=1)
    print(json.dumps({k: res[k] for k in ('source_probe', 'source_probe_pixels32')}, indent=1))
    print(json.dumps(res['lungs_blacked_out'], indent=1))


if __name__ == '__main__':
    main()
