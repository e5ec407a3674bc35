"""What a negative prompt does to prompt adherence: for each class prompt, images made with
no negative prompt (the all-[PAD] unconditional pass) and with each other finding's prompt
as the negative, from the same noise, judged by the shipped classifier (onnxruntime).

The shipped UNet, text encoder and decoder, read back from the bundle's ONNX files; 25 DDIM
steps, no mask (uncond_mask none), guidance 5 (the default). The noise seed (99) is not the
one the first look at negatives used (1234, decoder_adherence.py's), so these numbers are
not picked on the samples that suggested them. On this 2-core CPU: ~3 min per 48 images.

    /work/venv-ort/bin/python -m training.evaluate.negative_prompts --out training/runs/negative_prompts.json
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import torch

from training.models import bundle_weights  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.train.continue_gpu import Judge  # noqa: E402
from training.data.cxrdata import CLASS_PROMPTS, CLASSES, encode  # noqa: E402
from training.models.networks import CondUNet, Decoder, TextEncoder  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The negative for "avoid finding X": the finding's words alone, no population.
NEGATIVES = {'normal': 'chest x-ray, no finding', 'pneumonia': 'chest x-ray, pneumonia',
             'tuberculosis': 'chest x-ray, tuberculosis', 'covid19': 'chest x-ray, covid-19 pneumonia'}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--n', type=int, default=48)
    ap.add_argument('--guidance', type=float, default=5.0)
    ap.add_argument('--steps', type=int, default=25)
    ap.add_argument('--seed', type=int, default=99)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    vocab = json.load(open(os.path.join(args.bundle, 'tokenizer.json')))['model']['vocab']
    wm = bundle_weights.make_map(len(vocab))
    unet = bundle_weights.load(CondUNet(mask_channels=5), args.bundle, 'unet.onnx', wm).eval()
    text = bundle_weights.load(TextEncoder(len(vocab)), args.bundle, 'text_encoder.onnx', wm).eval()
    dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).eval()
    judge = Judge(args.bundle)
    scaling = json.load(open(os.path.join(args.bundle, 'manifest.json')))['diffusion']['scaling_factor']
    ac = T.alphas_cumprod(torch.device('cpu'))
    noise = torch.randn(args.n, 4, 32, 32, generator=torch.Generator().manual_seed(args.seed))
    results = {'setting': {'n': args.n, 'guidance': args.guidance, 'steps': args.steps, 'scheduler': 'ddim', 'noise_seed': args.seed,
                           'mask': 'none', 'negatives': NEGATIVES, 'date': time.strftime('%Y-%m-%d'),
                           'machine': f'{platform.node()} {platform.machine()}, CPU, {args.threads} torch thread(s)', 'judge': 'shipped classifier.onnx on onnxruntime (CPU)',
                           'note': 'every class prompt starts from the same noise; counts = images read as each of ' + ', '.join(CLASSES)},
               'runs': []}
    for c, finding in enumerate(CLASSES):
        for negative in [None] + [NEGATIVES[o] for o in CLASSES if o != finding]:
            ids = torch.as_tensor([encode(CLASS_PROMPTS[finding], vocab)] * 16)
            neg = None if negative is None else torch.as_tensor([encode(negative, vocab)] * 16)
            with torch.no_grad():
                img = torch.cat([T.ddim_sample(unet, text, dec, ids[:len(z)], torch.zeros(len(z), 5, 32, 32), z, args.steps, args.guidance,
                                               scaling, ac, uncond_mask=False, negative_ids=None if neg is None else neg[:len(z)])
                                 for z in noise.split(16)])
            counts = np.bincount(judge.classify(img)[0].argmax(1), minlength=len(CLASSES)).tolist()
            run = {'prompt': CLASS_PROMPTS[finding], 'finding': finding, 'negative_prompt': negative, 'counts': counts,
                   'adherence': round(counts[c] / args.n, 4)}
            results['runs'].append(run)
            print(time.strftime('%H:%M:%S'), json.dumps(run), flush=True)
            with open(args.out, 'w') as f:  # progressively: a stopped run keeps what it measured
                json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
