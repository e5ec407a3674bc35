"""Can the shipped segmenter run at half resolution without retraining? (issue 18)

The Evaluate page's time is mostly the segmenter (a 1.96 M-parameter U-Net at 256 px). Its
graph is fully convolutional and its decoder upsamples by scale, so the same weights can run
on a 128 px input: a quarter of the work. This script wraps the shipped ONNX in a graph
(`models/onnx_patches.at_lower_resolution`, also what export_onnx.py gives a `--seg-size 128` run) that
downsamples the 256 px input by 2 (2x2 average pooling, or bilinear Resize), runs the
unchanged body and upsamples the logits back to 256 px (bilinear), then scores lung Dice on
the test split of every mask source (its own convention's channel: Shenzhen and JSRT masks
on `lung_shenzhen`, ieee8023 and covid_multiseg on `lung`; masks >= 128 are lung, the
studio's >= half-maximum rule) and native onnxruntime throughput (2 threads, 8 per run).

If the half-resolution wrapper keeps Dice within 0.01 on every source, it is a free speed-up;
if not, a segmenter trained at 128 px is a GPU job (see training/README.md).

    /work/venv-ort/bin/python -m training.evaluate.segmenter_resolution \
        --out training/runs/segmenter_resolution.json
"""
import argparse
import csv
import json
import os
import time

import numpy as np
import onnxruntime as ort
from PIL import Image

from training.models.onnx_patches import at_lower_resolution

HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Mask source -> the segmenter channel of its convention (manifest.json's channel order).
SOURCES = {'shenzhen_tb_lungseg': 1, 'jsrt_lungseg': 1, 'ieee8023_covid_lungseg': 0, 'covid_multiseg': 0}


def read_test_split(data, folder):
    rows = [r for r in csv.DictReader(open(os.path.join(data, folder, 'labels.csv'))) if r.get('mask') and r['split'] == 'test']
    images = np.stack([np.asarray(Image.open(os.path.join(data, folder, r['file'])).convert('L'), np.float32) / 255 for r in rows])
    masks = np.stack([np.asarray(Image.open(os.path.join(data, folder, r['mask'])).convert('L')) >= 128 for r in rows])
    return images[:, None], masks


def dice(pred, truth):
    overlap = (pred & truth).sum((1, 2))
    return (2 * overlap + 1e-9) / (pred.sum((1, 2)) + truth.sum((1, 2)) + 1e-9)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--model', default=os.path.join(HERE, 'public/models/cxr-studio-v1/segmenter.onnx'))
    parser.add_argument('--data', default=os.path.join(HERE, '../shared/data/cxr256'))
    parser.add_argument('--out', required=True)
    args = parser.parse_args()

    shipped = open(args.model, 'rb').read()
    variants = {'256 px (shipped)': shipped,
                '128 px inside, avg-pool down': at_lower_resolution(shipped, 2, 'pool'),
                '128 px inside, bilinear down': at_lower_resolution(shipped, 2, 'resize')}
    data = {folder: read_test_split(args.data, folder) for folder in SOURCES}
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    results = {'model': os.path.relpath(args.model, HERE), 'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
               'load_average': os.getloadavg(), 'variants': {}}
    for name, model_bytes in variants.items():
        session = ort.InferenceSession(model_bytes, options, providers=['CPUExecutionProvider'])
        row, seconds, count = {}, 0.0, 0
        for folder, channel in SOURCES.items():
            images, masks = data[folder]
            preds = []
            for start in range(0, len(images), 8):
                began = time.perf_counter()
                out = session.run(None, {'image': images[start:start + 8]})[0]
                seconds += time.perf_counter() - began
                count += len(out)
                preds.append(out[:, channel] > 0)
            scores = dice(np.concatenate(preds), masks)
            row[folder] = {'dice': round(float(scores.mean()), 4), 'n': int(len(scores))}
        results['variants'][name] = {'dice': row, 'images_per_s_native_2_threads': round(count / seconds, 2)}
        print(name, json.dumps(results['variants'][name]), flush=True)
    with open(args.out, 'w') as f:
        json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
