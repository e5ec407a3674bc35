"""A small VAE decoder distilled from the shipped one (issue 18: the decoder is ~2.6 s of
every image in WASM; the target is <= 0.4 s on 2 cores).

The student (models.SmallDecoder: no convolution at 256x256, ~10x fewer multiply-adds)
learns to reproduce the shipped decoder's image from the same latent: L1 on pixels, L1
on a Laplacian pyramid (the fine texture the classifier reads tuberculosis from: see the
decoder fine-tune in README), and a feature loss on the frozen shipped VAE *encoder*'s
activations. Neither judge (the project's classifier, reference-v0's) is in the loss,
because both judge the result. Latents: the train images' (the latents pack), each also
perturbed with Gaussian noise of 0.2x its scale at random, since the UNet's samples are
not exactly encoder latents.

Its ONNX file has the shipped decoder's I/O (latent [N,4,32,32] unscaled -> image
[N,1,256,256] in [-1,1]), so the app needs no change: the manifest's vae_decoder entry
points at the new file.

    # device: python3 -m training.train.distill_decoder --pack .gpu/latents.npz --map .gpu/weight_map.json --out $OUT --minutes 7
    # CPU smoke: /usr/bin/python3 -m training.train.distill_decoder --pack .gpu/smoke/latents.npz --smoke --out /tmp/dd
    # size it (random weights, for the bench): --export-random FILE.onnx --ch 128,96,48
Outputs: decoder_small.pt (state_dict), decoder_small.onnx, metrics.json, log.txt.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from training.models import bundle_weights  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.models.networks import Decoder, Encoder, SmallDecoder, count_params  # noqa: E402
from training.models.onnx_export import export_or_log, onnx_export  # noqa: E402


def laplacian_pyramid(x, levels=4):
    out = []
    for _ in range(levels):
        down = F.avg_pool2d(x, 2)
        out.append(x - F.interpolate(down, scale_factor=2.0, mode='bilinear', align_corners=False))
        x = down
    return out + [x]


class EncoderFeatures(torch.nn.Module):
    """Activations of the frozen shipped VAE encoder after each block: the feature loss."""

    def __init__(self, enc):
        super().__init__()
        self.enc = enc.eval().requires_grad_(False)

    def forward(self, img):
        feats, h = [], self.enc.conv_in(img)
        for block in self.enc.blocks:
            h = block(h)
            feats.append(h)
        return feats[::2]


def distill_loss(student_img, teacher_img, features):
    pix = (student_img - teacher_img).abs().mean()
    lap = sum((a - b).abs().mean() for a, b in zip(laplacian_pyramid(student_img), laplacian_pyramid(teacher_img)))
    feat = sum((a - b).abs().mean() for a, b in zip(features(student_img), features(teacher_img)))
    return pix + lap + 0.1 * feat, {'pixel': pix.item(), 'laplacian': lap.item(), 'feature': feat.item()}


def export(decoder, path):
    """Opset 17, the shipped decoder's names and dynamic batch (export_onnx.py stores weights as fp16 when installing)."""
    decoder = decoder.eval().cpu()
    with torch.no_grad():
        onnx_export(decoder, (torch.randn(1, 4, 32, 32),), path, opset_version=17, input_names=['latent'],
                    output_names=['image'], dynamic_axes={'latent': {0: 'batch'}, 'image': {0: 'batch'}},
                    do_constant_folding=True)


@torch.no_grad()
def evaluate(student, teacher, latents):
    """PSNR of the student against the teacher (images in [0,1]) and the fine-texture ratio."""
    ps, hf_s, hf_t = [], [], []
    for i in range(0, len(latents), 32):
        z = latents[i:i + 32]
        s, t = ((student(z) + 1) / 2).clamp(0, 1), ((teacher(z) + 1) / 2).clamp(0, 1)
        mse = ((s - t) ** 2).flatten(1).mean(1).clamp(min=1e-10)
        ps.append(10 * torch.log10(1 / mse))
        hf_s.append((s - F.avg_pool2d(F.pad(s, (1, 1, 1, 1), mode='replicate'), 3, 1)).abs().flatten(1).mean(1))
        hf_t.append((t - F.avg_pool2d(F.pad(t, (1, 1, 1, 1), mode='replicate'), 3, 1)).abs().flatten(1).mean(1))
    return {'psnr_vs_teacher_db': round(torch.cat(ps).mean().item(), 2),
            'fine_texture_ratio': round((torch.cat(hf_s).mean() / torch.cat(hf_t).mean()).item(), 3), 'n': len(latents)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--map', default=os.path.join(bundle_weights.HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--pack', help='latents pack (pack_latents.py)')
    ap.add_argument('--out', help='output folder')
    ap.add_argument('--ch', default='128,96,48', help='SmallDecoder widths at 32, 64, 128 px (bench/decoder-size.bench.ts sized them)')
    ap.add_argument('--minutes', type=float, default=7)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--smoke', action='store_true')
    ap.add_argument('--export-random', metavar='FILE', help='only export a randomly initialised student (for timing) and exit')
    args = ap.parse_args()
    ch = tuple(int(c) for c in args.ch.split(','))
    torch.manual_seed(0)
    if args.export_random:
        student = SmallDecoder(ch)
        export(student, args.export_random)
        print(f'{args.export_random}: SmallDecoder{ch}, {count_params(student)} parameters')
        return
    if not (args.pack and args.out):
        ap.error('--pack and --out are required to train')
    os.makedirs(args.out, exist_ok=True)
    T.LOG = os.path.join(args.out, 'log.txt')
    dev = torch.device('cuda' if torch.cuda.is_available() and not args.smoke else 'cpu')
    wm = json.load(open(args.map))['files']
    teacher = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).to(dev).eval().requires_grad_(False)
    features = EncoderFeatures(bundle_weights.load(Encoder(), args.bundle, 'vae_encoder.onnx', wm).to(dev))
    scaling = json.load(open(os.path.join(args.bundle, 'manifest.json')))['diffusion']['scaling_factor']
    z = np.load(args.pack)
    lat = torch.from_numpy(z['latents_q'].astype(np.float32) * z['latents_scale'][:, :, None, None]).to(dev) / scaling
    held = torch.from_numpy(np.random.default_rng(0).permutation(len(lat))).to(dev)
    n_val = max(4, len(lat) // 20)
    val, train = lat[held[:n_val]], lat[held[n_val:]]
    student = SmallDecoder(ch).to(dev)
    T.log(f'SmallDecoder{ch}: {count_params(student)} parameters (teacher {count_params(teacher)}); {len(train)} train, {len(val)} held-out latents on {dev}')
    metrics = {'ch': ch, 'params': count_params(student), 'teacher_params': count_params(teacher), 'before': evaluate(student, teacher, val)}
    opt = torch.optim.AdamW(student.parameters(), lr=args.lr, weight_decay=1e-5)
    budget = 10.0 if args.smoke else args.minutes * 60
    sched = T.Schedule(opt, args.lr, budget, warmup_steps=5 if args.smoke else 200)
    bs = 4 if args.smoke else args.batch
    lat_std = train.std()
    parts = {}
    while sched.step():
        zb = train[torch.randint(0, len(train), (bs,), device=dev)]
        perturb = (torch.rand(bs, 1, 1, 1, device=dev) < 0.5).float()
        zb = zb + perturb * 0.2 * lat_std * torch.randn_like(zb)
        with torch.no_grad(), T.autocast(dev):
            target = teacher(zb).float()
        with T.autocast(dev):
            out = student(zb).float()
        loss, parts = distill_loss(out, target, features)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        if sched.step_n % 500 == 0:
            T.log(f'step {sched.step_n}: loss {loss.item():.4f} {json.dumps({k: round(v, 4) for k, v in parts.items()})}')
    student.eval()
    metrics.update(steps=sched.step_n, batch=bs, seconds=budget, last_loss=parts, after=evaluate(student, teacher, val))
    T.log('after', json.dumps(metrics['after']))
    torch.save({k: v.cpu() for k, v in student.state_dict().items()}, os.path.join(args.out, 'decoder_small.pt'))
    with open(os.path.join(args.out, 'metrics.json'), 'w') as f:
        json.dump(metrics, f, indent=1)
    # last, and allowed to fail: the .pt is the result; the ONNX file can be made again here
    export_or_log(lambda: export(student, os.path.join(args.out, 'decoder_small.onnx')), 'decoder_small.onnx', T.log)
    T.log('done')


if __name__ == '__main__':
    main()
