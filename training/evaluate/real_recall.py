"""The shipped classifier's recall on the *real* test images, per finding and per population
(adult, pediatric, not stated) and folder: the ceiling that prompt adherence compares with.
The class prompts say "adult", so the adult rows are the fair comparison for them.

    /work/venv-ort/bin/python -m training.evaluate.real_recall --out training/runs/real_recall.json
"""
import argparse
import collections
import json
import os
import platform
import sys
import time

import numpy as np
import torch

from training.models import bundle_weights  # noqa: E402
from training.train.continue_gpu import Judge  # noqa: E402
from training.data.cxrdata import CLASSES, read_records  # noqa: E402
from training.train.tune_decoder_tail import png01  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    records = [r for r in read_records(args.data) if r['split'] == 'test']
    judge = Judge(args.bundle)
    pred = np.concatenate([judge.classify(torch.from_numpy(np.stack([png01(os.path.join(args.data, r['folder'], r['file']))
                                                                      for r in records[i:i + 32]]))[:, None])[0].argmax(1)
                           for i in range(0, len(records), 32)])
    groups = collections.defaultdict(list)
    for r, p in zip(records, pred):
        finding, population = CLASSES[r['cls']], r['population'] or 'not stated'
        for key in (finding, f'{finding} / {population}', f"{finding} / {population} / {r['folder']}"):
            groups[key].append(int(p))
    out = {'judge': 'shipped classifier.onnx on onnxruntime (CPU), argmax', 'split': 'test', 'date': time.strftime('%Y-%m-%d'),
           'machine': f'{platform.node()} {platform.machine()}', 'recall': {}}
    for key in sorted(groups):
        finding = key.split(' / ')[0]
        p = np.asarray(groups[key])
        out['recall'][key] = {'n': len(p), 'recall': round(float((p == CLASSES.index(finding)).mean()), 4),
                              'read_as': dict(zip(CLASSES, np.bincount(p, minlength=len(CLASSES)).tolist()))}
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=1)
    for key, v in out['recall'].items():
        print(f"{key:60s} n={v['n']:4d} recall={v['recall']:.3f} {v['read_as']}")


if __name__ == '__main__':
    main()
