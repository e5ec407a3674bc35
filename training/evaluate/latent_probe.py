"""Where the autoencoder loses what the classifier needs: a linear probe on the shipped VAE's
latents of the train images (.gpu/latents.npz, pack_latents.py) against the same probe on the
images themselves, downsampled to 64x64 (4096 values, as many as a 4x32x32 latent).

If the latents separate a finding about as well as the pixels do, the information survives the
encoder and is lost in the decoder (vae_probe.py: tuberculosis recall 0.868 on real test images,
0.0 on their reconstructions), so a decoder trained with a perceptual loss is the next step;
if they do not, the encoder (latent size) must change.

    /usr/bin/python3 -m training.evaluate.latent_probe      # -> training/runs/latent_probe.json
Cross-validated (5 folds, stratified, seed 0) AUC of StandardScaler + L2 LogisticRegression(C=0.01).
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from training.data.cxrdata import CLASSES, read_records  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# (name, positive class, negative class or None for "all others", which images)
TASKS = [('tuberculosis vs normal, Shenzhen', 'tuberculosis', 'normal', 'shenzhen'),
         ('pneumonia vs normal, other folders', 'pneumonia', 'normal', 'other'),
         ('covid19 vs the rest, all folders', 'covid19', None, 'all')]


def auc(x, y):
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.01, max_iter=3000))
    p = cross_val_predict(model, x, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), method='predict_proba')[:, 1]
    return round(float(roc_auc_score(y, p)), 4)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--latents', default=os.path.join(HERE, '..', '.gpu', 'latents.npz'))
    ap.add_argument('--out', default=os.path.join(HERE, 'runs', 'latent_probe.json'))
    args = ap.parse_args()
    pack = np.load(args.latents)
    latents = (pack['latents_q'].astype(np.float32) * pack['latents_scale'][:, :, None, None]).reshape(len(pack['cls']), -1)
    # pack_latents.py packs the train records in read_records order: the same list here gives the images.
    train = [r for r in read_records(args.data) if r['split'] == 'train' and not r['exclude_train']]
    if len(train) != len(latents) or any(r['cls'] != c for r, c in zip(train, pack['cls'])):
        sys.exit(f'{args.latents} does not match the train records of {args.data}: re-run pack_latents.py')
    pixels = np.stack([np.asarray(Image.open(os.path.join(args.data, r['folder'], r['file'])).convert('L').resize((64, 64), Image.BILINEAR),
                                  dtype=np.float32).ravel() / 255 for r in train])
    cls = np.array([r['cls'] for r in train])
    shenzhen = np.array([r['folder'] == 'shenzhen_tb_lungseg' for r in train])
    result = {'method': 'linear probe, 5-fold CV AUC, StandardScaler + LogisticRegression(C=0.01)', 'tasks': []}
    for name, pos, neg, where in TASKS:
        rows = {'shenzhen': shenzhen, 'other': ~shenzhen, 'all': np.ones(len(cls), bool)}[where]
        rows = rows & (np.isin(cls, [CLASSES.index(pos), CLASSES.index(neg)]) if neg else True)
        y = (cls[rows] == CLASSES.index(pos)).astype(int)
        entry = {'task': name, 'n': int(rows.sum()), 'positives': int(y.sum()),
                 'auc_latents_4x32x32': auc(latents[rows], y), 'auc_pixels_64x64': auc(pixels[rows], y)}
        print(entry)
        result['tasks'].append(entry)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=1)
    print('wrote', args.out)


if __name__ == '__main__':
    main()
