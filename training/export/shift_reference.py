"""Dataset-shift reference for the Evaluate page and `cxr-studio evaluate` (issue 17 item 6).

Runs the shipped classifier (onnxruntime, CPU) on the 256-d `features` output of the
images of the sources it was trained on, and writes a small JSON the studio ships in the
bundle (manifest `shift`, docs/manifest.md):

  score(x) = Mahalanobis distance of x from the training features' mean under a
             Ledoit-Wolf shrunk covariance, kept to its top `k` principal directions
             plus one mean variance for the rest (probabilistic PCA), so the file holds
             k x 256 numbers instead of a 256 x 256 precision matrix;
  threshold = the `false_alarm` quantile's complement (default 95th percentile) of the
             scores of held-in validation images (the same sources' val split, never
             used for the statistics), so about 5% of images like the training ones are
             flagged.

It also measures what share of images is flagged on each source the model never trained
on, next to the held-in test splits, and writes that into the JSON's `measured` field.
The preprocessing is the studio's for these files: cxr256 images are 256x256 8-bit gray,
so the model input is pixel / 255 (src/core/tensor/imageTensor.ts with scale 1/255).

Run: /work/venv-ort/bin/python -m training.export.shift_reference \\
       --bundle public/models/cxr-studio-v1 --data ../shared/data/cxr256 [--k 48]
"""
import argparse
import csv
import datetime
import json
import os
import platform

import numpy as np
import onnxruntime as ort
from PIL import Image
from sklearn.covariance import LedoitWolf

TRAINED_ON = ['shenzhen_tb_lungseg', 'nih_cxr14_pneumonia', 'kermany_pediatric_pneumonia', 'ieee8023_covid_lungseg']
NEVER_SEEN = ['hannover_covid', 'jsrt_lungseg', 'tbx11k_tb']


def rows(data, folder, splits):
    with open(os.path.join(data, folder, 'labels.csv'), newline='') as f:
        return [os.path.join(data, folder, r['file']) for r in csv.DictReader(f) if splits is None or r['split'] in splits]


def features(session, paths, batch=32):
    out = []
    for i in range(0, len(paths), batch):
        x = np.stack([np.asarray(Image.open(p).convert('L'), dtype=np.float32) / 255.0 for p in paths[i:i + batch]])[:, None]
        out.append(session.run(['features'], {'image': x})[0])
    return np.concatenate(out).astype(np.float64)


def reference(train, k):
    mean = train.mean(axis=0)
    lw = LedoitWolf().fit(train)
    values, vectors = np.linalg.eigh(lw.covariance_)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    return {'mean': mean, 'components': vectors[:, :k].T, 'variances': values[:k], 'residual_variance': float(values[k:].mean()), 'shrinkage': float(lw.shrinkage_)}


def scores(ref, x):
    """Squared Mahalanobis distance in the kept directions plus the residual's, divided by the dimension (about 1 for a typical training image)."""
    centred = x - ref['mean']
    proj = centred @ ref['components'].T
    residual = centred - proj @ ref['components']
    d2 = (proj ** 2 / ref['variances']).sum(axis=1) + (residual ** 2).sum(axis=1) / ref['residual_variance']
    return d2 / x.shape[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bundle', default='public/models/cxr-studio-v1')
    ap.add_argument('--data', default='../shared/data/cxr256')
    ap.add_argument('--k', type=int, default=48)
    ap.add_argument('--false-alarm', type=float, default=0.05)
    ap.add_argument('--out', default=None, help='default: <bundle>/shift.json')
    args = ap.parse_args()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    session = ort.InferenceSession(os.path.join(args.bundle, 'classifier.onnx'), opts, providers=['CPUExecutionProvider'])

    train = np.concatenate([features(session, rows(args.data, f, {'train'})) for f in TRAINED_ON])
    val = np.concatenate([features(session, rows(args.data, f, {'val'})) for f in TRAINED_ON])
    ref = reference(train, args.k)
    threshold = float(np.quantile(scores(ref, val), 1 - args.false_alarm))

    measured = {}
    for folder in TRAINED_ON:
        s = scores(ref, features(session, rows(args.data, folder, {'test'})))
        measured[f'test/{folder}'] = {'n': int(len(s)), 'flagged': round(float((s > threshold).mean()), 4), 'median_score': round(float(np.median(s)), 4)}
    for folder in NEVER_SEEN:
        s = scores(ref, features(session, rows(args.data, folder, None)))
        measured[f'all/{folder}'] = {'n': int(len(s)), 'flagged': round(float((s > threshold).mean()), 4), 'median_score': round(float(np.median(s)), 4)}

    sig = lambda a: [float(f'{v:.6g}') for v in np.ravel(a)]
    out = {
        'format': 'cxr-studio-shift/1',
        'method': 'mahalanobis-ppca',
        'features': 'features',
        'dim': int(train.shape[1]),
        'k': args.k,
        'mean': sig(ref['mean']),
        'components': sig(ref['components']),
        'variances': sig(ref['variances']),
        'residual_variance': float(f"{ref['residual_variance']:.6g}"),
        'threshold': round(threshold, 6),
        'false_alarm': args.false_alarm,
        'fitted_on': {'sources': TRAINED_ON, 'split': 'train', 'n': int(len(train)), 'ledoit_wolf_shrinkage': round(ref['shrinkage'], 6)},
        'calibrated_on': {'sources': TRAINED_ON, 'split': 'val', 'n': int(len(val))},
        'measured': measured,
        'made_by': f'training/export/shift_reference.py on {datetime.date.today().isoformat()} ({platform.node()}, {platform.machine()})',
    }
    path = args.out or os.path.join(args.bundle, 'shift.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
    print(json.dumps({k: v for k, v in out.items() if k not in ('mean', 'components', 'variances')}, indent=1))
    print(f'wrote {path} ({os.path.getsize(path)} bytes)')


if __name__ == '__main__':
    main()
