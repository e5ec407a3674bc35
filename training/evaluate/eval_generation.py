"""Measure a finished run's generator on the test splits (the same code the GPU run uses
for its own numbers), here on the CPU with fewer images per class.

    python3 -m training.evaluate.eval_generation --run .runs/final --pack .pack/cxr256.npz \
        --n-per 12 --steps 25 --guidance 3 --out .runs/final/generation_cpu.json
"""
import argparse
import json
import time

import numpy as np
import torch

from training.train import train_all as T
from training.models.networks import Classifier, CondUNet, Decoder, TextEncoder


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--pack', required=True)
    ap.add_argument('--n-per', type=int, default=12)
    ap.add_argument('--steps', type=int, default=25)
    ap.add_argument('--guidance', type=float, nargs='+', default=[3.0])
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    torch.manual_seed(0)
    dev = torch.device('cpu')
    data = T.Data(args.pack, dev, 2)
    r = lambda name, prefix: T.read_npz(f'{args.run}/{name}', prefix)
    seg = T.load_segmenter(f'{args.run}/segmenter.npz', dev)
    cls = T.load_rounded(Classifier(), r('classifier.npz', 'classifier')[0]).eval()
    dec_sd, ae_meta = r('autoencoder.npz', 'decoder')
    dec = T.load_rounded(Decoder(), dec_sd).eval()
    text_sd, te_meta = r('text_encoder.npz', 'text_encoder')
    vocab = te_meta['vocab']
    text = T.load_rounded(TextEncoder(len(vocab)), text_sd).eval()
    unet_sd = {**r('unet_a.npz', 'unet')[0], **r('unet_b.npz', 'unet')[0]}
    unet = T.load_rounded(CondUNet(mask_channels=len(te_meta['unet']['mask_channels'])), unet_sd).eval()
    t0 = time.time()
    res = T.generation_metrics(data, unet, text, dec, ae_meta['scaling_factor'], vocab, seg, cls, [args.steps],
                               args.guidance, args.n_per, 1e9)
    res['measured_on'] = f'CPU (torch {torch.__version__}), {time.time() - t0:.0f} s, n_per={args.n_per}'
    with open(args.out, 'w') as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
