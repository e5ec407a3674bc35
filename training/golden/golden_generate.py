"""Golden run of the project's own generator with the PyTorch reference sampler, for the
TypeScript pipeline's parity test (src/core/pipelines/generate.v1.test.ts).

The weights are read back from the shipped ONNX files themselves (bundle_weights.py),
float32 on the CPU; DDIM eta 0 with classifier-free guidance whose unconditional pass
gets the mask the manifest's diffusion.uncond_mask says, from the noise the studio's own
seeded RNG makes (training/golden/golden_noise.ts), conditioned on the bundle's example
Shenzhen-convention lung mask.

    npx tsx training/golden/golden_noise.ts 1234 4096 /tmp/noise.f32
    /usr/bin/python3 -m training.golden.golden_generate --noise /tmp/noise.f32 \
        --bundle public/models/cxr-studio-v1 --out src/core/pipelines/fixtures/cxr-studio-v1
    /usr/bin/python3 -m training.golden.golden_generate --noise /tmp/noise.f32 \
        --bundle public/models/cxr-studio-v1 --negative-prompt 'chest x-ray, pneumonia' \
        --out src/core/pipelines/fixtures/cxr-studio-v1-negative

With --negative-prompt the unconditional pass gets that prompt instead of all [PAD].
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from training.models import bundle_weights
from training.train import train_all as T
from training.data.cxrdata import encode
from training.models.networks import CondUNet, Decoder, TextEncoder

PROMPT = 'chest x-ray, tuberculosis, adult'
STEPS, GUIDANCE, SEED = 20, 3.0, 1234


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--noise', required=True)
    ap.add_argument('--bundle', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--negative-prompt', help='the unconditional pass\'s prompt (default: all [PAD])')
    args = ap.parse_args()
    manifest = json.load(open(os.path.join(args.bundle, 'manifest.json')))
    vocab = json.load(open(os.path.join(args.bundle, 'tokenizer.json')))['model']['vocab']
    wm = bundle_weights.make_map(len(vocab))
    dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).eval()
    text = bundle_weights.load(TextEncoder(len(vocab)), args.bundle, 'text_encoder.onnx', wm).eval()
    unet = bundle_weights.load(CondUNet(mask_channels=5), args.bundle, 'unet.onnx', wm).eval()
    uncond_keeps_mask = manifest['diffusion'].get('uncond_mask', 'same') == 'same'

    mask = np.asarray(Image.open(os.path.join(args.bundle, 'examples', 'lung_mean_shenzhen.png')).convert('L')) > 127
    m = torch.from_numpy(mask.astype(np.float32))[None, None]
    ones = torch.ones(1, 1, 32, 32)
    mask_cond = torch.cat([F.avg_pool2d(m, 8), ones, ones, torch.zeros(1, 2, 32, 32)], 1)
    ids = torch.tensor([encode(PROMPT, vocab)])
    negative_ids = torch.tensor([encode(args.negative_prompt, vocab)]) if args.negative_prompt else None
    noise = torch.from_numpy(np.fromfile(args.noise, np.float32).reshape(1, 4, 32, 32))
    ac = T.alphas_cumprod(torch.device('cpu'))
    scaling = manifest['diffusion']['scaling_factor']
    with torch.no_grad():
        # ddim_sample decodes too; keep the final latents by running the loop's decode apart.
        ts = np.round(np.linspace(999, 0, STEPS)).astype(np.int64)
        cond, uncond = text(ids), text(torch.zeros_like(ids) if negative_ids is None else negative_ids)
        x = noise
        for i, t in enumerate(ts):
            eps_c, eps_u = unet(torch.cat([x, x]), torch.full((2,), float(t)), torch.cat([cond, uncond]),
                                torch.cat([mask_cond, mask_cond if uncond_keeps_mask else torch.zeros_like(mask_cond)])).chunk(2)
            eps = eps_u + GUIDANCE * (eps_c - eps_u)
            a_t = ac[t]
            a_prev = ac[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)
            x0 = (x - (1 - a_t).sqrt() * eps) / a_t.sqrt()
            x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
        image01 = ((dec(x / scaling) + 1) / 2).clamp(0, 1)
        same = T.ddim_sample(unet, text, dec, ids, mask_cond, noise, STEPS, GUIDANCE, scaling, ac, uncond_mask=uncond_keeps_mask,
                             negative_ids=negative_ids)
        assert torch.allclose(same, image01, atol=1e-5), 'the two reference samplers disagree'
    os.makedirs(args.out, exist_ok=True)
    # A negative-prompt golden shares the plain one's noise and mask_cond; it keeps only what differs.
    inputs = () if negative_ids is not None else (('noise', noise), ('mask_cond', mask_cond))
    for name, arr in (*inputs, ('latents_final', x), ('image01', image01)):
        arr.numpy().astype(np.float32).tofile(os.path.join(args.out, f'{name}.f32'))
    with open(os.path.join(args.out, 'golden.json'), 'w') as f:
        json.dump({'prompt': PROMPT, 'input_ids': ids[0].tolist(),
                   **({'negative_prompt': args.negative_prompt, 'negative_input_ids': negative_ids[0].tolist()} if args.negative_prompt else {}),
                   'seed': SEED, 'noise': 'src/core/rng.ts standardNormal(seed, 4096)',
                   'steps': STEPS, 'guidance_scale': GUIDANCE, 'scheduler': 'ddim', 'timesteps': ts.tolist(),
                   'uncond_mask': 'same' if uncond_keeps_mask else 'none',
                   'mask': 'examples/lung_mean_shenzhen.png of the bundle, convention shenzhen',
                   'made_by': 'training/golden/golden_generate.py, torch CPU float32, weights read from the bundle\'s ONNX files'}, f, indent=1)
    Image.fromarray((image01[0, 0].numpy() * 255).round().astype(np.uint8)).save(os.path.join(args.out, 'image.png'))
    print('golden written to', args.out)


if __name__ == '__main__':
    main()
