"""How much of what the classifier sees survives the autoencoder: the shipped classifier's
recall per finding on the real test images and on the same images after the shipped VAE
(encode, decode). A generator can only make what its decoder can draw, so the
reconstruction recall bounds prompt adherence for that finding.

    /usr/bin/python3 -m training.evaluate.vae_probe      # -> training/runs/vae_probe.json
(needs .gpu/weight_map.json from `bundle_weights.py map`, and node for the classifier)
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

from training.models import bundle_weights  # noqa: E402
from training.data.cxrdata import CLASSES, read_records  # noqa: E402
from training.models.networks import Decoder, Encoder  # noqa: E402
from training.data.pack_latents import node_outputs, png01  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--map', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--out', default=os.path.join(HERE, 'runs', 'vae_probe.json'))
    args = ap.parse_args()
    wm = json.load(open(args.map))['files']
    enc = bundle_weights.load(Encoder(), args.bundle, 'vae_encoder.onnx', wm).eval()
    dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).eval()
    test = [r for r in read_records(args.data) if r['split'] == 'test']
    originals = [os.path.join(args.data, r['folder'], r['file']) for r in test]
    with tempfile.TemporaryDirectory() as tmp:
        recon = []
        with torch.no_grad():
            for i in range(0, len(test), 32):
                x = torch.from_numpy(np.stack([png01(p) for p in originals[i:i + 32]]))[:, None] * 2 - 1
                y = ((dec(enc(x)[0]) + 1) / 2).clamp(0, 1)[:, 0].numpy()
                for j, img in enumerate(y):
                    recon.append(os.path.join(tmp, f'{i + j}.png'))
                    Image.fromarray(np.round(img * 255).astype(np.uint8)).save(recon[-1])
        cls_model = os.path.join(args.bundle, 'classifier.onnx')
        logits = {name: node_outputs('cls-features', cls_model, paths, tmp, 260, np.float32)[:, :4]
                  for name, paths in (('real', originals), ('reconstructed', recon))}
    truth = np.array([r['cls'] for r in test])
    result = {'n': {c: int((truth == k).sum()) for k, c in enumerate(CLASSES)}}
    for name, lg in logits.items():
        pred = lg.argmax(1)
        p = np.exp(lg - lg.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        result[name] = {c: {'recall': round(float((pred[truth == k] == k).mean()), 4),
                            'mean_probability': round(float(p[truth == k, k].mean()), 4)} for k, c in enumerate(CLASSES)}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == '__main__':
    main()
