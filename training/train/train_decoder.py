"""Retrain the VAE decoder alone, so it draws the texture the classifier reads
(latent_probe.py: the latents keep tuberculosis as well as 64x64 pixels do; vae_probe.py:
the shipped decoder's reconstructions lose it). The encoder stays frozen, so the latent
space, and with it the shipped UNet, does not change: the new vae_decoder.onnx drops in.

Loss: L1 + L1 over a 4-level Laplacian pyramid (fine detail weighs as much as brightness),
plus, after --adv-after steps, a hinge PatchGAN term (the standard latent-diffusion
autoencoder recipe for texture). The project's classifier never enters the loss: it is the
judge of prompt adherence, so it only measures (recall per finding on reconstructions).

Pack the images first (here), carry .gpu on the device, then there:
    /usr/bin/python3 -m training.data.pack_images                         # -> .gpu/images.npz
    python3 -m training.train.train_decoder --pack .gpu/images.npz --map .gpu/weight_map.json --out $OUT --minutes 8
Writes, progressively: log.txt, metrics.json (before and after), decoder.pt (state_dict, each
minute), and at the end vae_decoder.onnx (export_onnx.py's export: input `latent`, output
`image`), to copy into the bundle after checking the metrics. --smoke: a few steps
on the CPU, no judge unless onnxruntime is installed.
"""
import argparse
import io
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from training.models import bundle_weights  # noqa: E402
from training.data.cxrdata import CLASSES  # noqa: E402
from training.export.export_onnx import export  # noqa: E402
from training.models.networks import Decoder, Encoder  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def decode_jpegs(blobs):
    return np.stack([np.asarray(Image.open(io.BytesIO(bytes(b))).convert('L'), np.float32) / 255 for b in blobs])


def laplacian_pyramid(x, levels=4):
    out = []
    for _ in range(levels - 1):
        down = F.avg_pool2d(x, 2)
        out.append(x - F.interpolate(down, scale_factor=2.0, mode='nearest'))
        x = down
    return out + [x]


def reconstruction_loss(y, x):
    return F.l1_loss(y, x) + sum(F.l1_loss(a, b) for a, b in zip(laplacian_pyramid(y), laplacian_pyramid(x)))


class PatchDiscriminator(nn.Module):
    """70x70-style PatchGAN on [-1,1] images: one real/fake logit per patch."""

    def __init__(self, ch=64, layers=3):
        super().__init__()
        seq, cin = [nn.Conv2d(1, ch, 4, 2, 1), nn.LeakyReLU(0.2, True)], ch
        for i in range(1, layers):
            cout = ch * min(2 ** i, 8)
            seq += [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.GroupNorm(32, cout), nn.LeakyReLU(0.2, True)]
            cin = cout
        seq += [nn.Conv2d(cin, 1, 4, 1, 1)]
        self.net = nn.Sequential(*seq)

    def forward(self, x):
        return self.net(x)


def discriminator_step(disc, opt_d, x, y):
    """One hinge-loss update of disc on real x and generated y (detached); returns its loss."""
    d_loss = F.relu(1 - disc(x)).mean() + F.relu(1 + disc(y.detach())).mean()
    opt_d.zero_grad(set_to_none=True)
    d_loss.backward()
    opt_d.step()
    return d_loss


@torch.no_grad()
def measure(enc, dec, images, cls, judge, dev, batch=32):
    """PSNR of reconstructions on the test images, and the judge's recall per finding on them (and on the originals)."""
    psnr, recon = [], []
    for i in range(0, len(images), batch):
        x = torch.from_numpy(images[i:i + batch])[:, None].to(dev)
        y = ((dec(enc(x * 2 - 1)[0]) + 1) / 2).clamp(0, 1)
        psnr += (-10 * torch.log10(((y - x) ** 2).mean((1, 2, 3)).clamp_min(1e-10))).tolist()
        recon.append(y.cpu())
    out = {'psnr_test': round(float(np.mean(psnr)), 3), 'n_test': len(images)}
    if judge is not None:
        for name, imgs in (('real', torch.from_numpy(images)[:, None]), ('reconstructed', torch.cat(recon))):
            pred = judge.classify(imgs)[0].argmax(1)
            out[f'recall_{name}'] = {c: round(float((pred[cls == k] == k).mean()), 4) for k, c in enumerate(CLASSES) if (cls == k).any()}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--pack', default=os.path.join(HERE, '..', '.gpu', 'images.npz'))
    ap.add_argument('--map', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=8.0, help='training time; measuring and export come on top')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--lr', type=float, default=1e-4)
    ap.add_argument('--adv-after', type=int, default=2000, help='steps of reconstruction loss alone before the GAN term')
    ap.add_argument('--adv-weight', type=float, default=0.05)
    ap.add_argument('--smoke', action='store_true', help='a few steps on the CPU')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    dev = 'cuda' if torch.cuda.is_available() and not args.smoke else 'cpu'
    log = open(os.path.join(args.out, 'log.txt'), 'a')

    def say(*parts):
        line = ' '.join(str(p) for p in parts)
        print(line, flush=True)
        log.write(line + '\n')
        log.flush()

    torch.manual_seed(0)
    wm = json.load(open(args.map))['files']
    enc = bundle_weights.load(Encoder(), args.bundle, 'vae_encoder.onnx', wm).to(dev).eval().requires_grad_(False)
    dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).to(dev)
    pack = np.load(args.pack, allow_pickle=True)
    train = decode_jpegs(pack['train_jpeg'])
    test, test_cls = decode_jpegs(pack['test_jpeg']), pack['test_cls']
    if args.smoke:
        train, test, test_cls = train[:64], test[:32], test_cls[:32]
    try:
        from training.train.continue_gpu import Judge
        judge = Judge(args.bundle)
    except ImportError as error:
        judge = None
        say(f'no judge ({error}): PSNR only')
    say(f'device {dev}; {len(train)} train, {len(test)} test images; decoder {sum(p.numel() for p in dec.parameters())} parameters')
    metrics = {'before': measure(enc, dec.eval(), test, test_cls, judge, dev)}
    say('before', json.dumps(metrics['before']))

    disc = PatchDiscriminator().to(dev)
    opt = torch.optim.AdamW(dec.parameters(), lr=args.lr, betas=(0.5, 0.9), weight_decay=0.0)
    opt_d = torch.optim.AdamW(disc.parameters(), lr=args.lr, betas=(0.5, 0.9), weight_decay=0.0)
    train_t = torch.from_numpy(train)[:, None]
    deadline = time.time() + (60 * args.minutes if not args.smoke else 0)
    step, saved = 0, time.time()
    dec.train()
    while (step < 4 if args.smoke else time.time() < deadline):
        idx = torch.randint(0, len(train_t), (args.batch,))
        x = train_t[idx].to(dev) * 2 - 1
        x = torch.where(torch.rand(len(x), 1, 1, 1, device=dev) < 0.5, x, x.flip(3))  # no left-right prior in the decoder
        with torch.no_grad():
            z = enc(x)[0]
        y = dec(z)
        loss = reconstruction_loss(y, x)
        adversarial = step >= args.adv_after or args.smoke
        if adversarial:
            loss = loss - args.adv_weight * disc(y).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if adversarial:
            d_loss = discriminator_step(disc, opt_d, x, y)
        step += 1
        if step % 200 == 0 or args.smoke:
            say(f'step {step} loss {loss.item():.4f}' + (f' d {d_loss.item():.3f}' if adversarial else ''))
        if time.time() - saved > 60:
            torch.save(dec.state_dict(), os.path.join(args.out, 'decoder.pt'))
            saved = time.time()
    torch.save(dec.state_dict(), os.path.join(args.out, 'decoder.pt'))
    metrics['after'] = measure(enc, dec.eval(), test, test_cls, judge, dev)
    metrics['training'] = {'steps': step, 'batch': args.batch, 'lr': args.lr, 'adv_after': args.adv_after, 'adv_weight': args.adv_weight, 'device': dev}
    say('after', json.dumps(metrics['after']))
    with open(os.path.join(args.out, 'metrics.json'), 'w') as f:
        json.dump(metrics, f, indent=1)
    export(dec.cpu(), (torch.randn(1, 4, 32, 32),), os.path.join(args.out, 'vae_decoder.onnx'), ['latent'], ['image'])
    say('wrote', os.path.join(args.out, 'vae_decoder.onnx'))


if __name__ == '__main__':
    main()
