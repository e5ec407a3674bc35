"""Fine-tune the VAE decoder's full-resolution tail on the CPU, so its images carry the
fine texture the classifier reads (no GPU needed: a 2-core run of about an hour).

Why: vae_probe.py found that the shipped decoder's reconstructions of real tuberculosis
test images are never classified as tuberculosis (recall 0.00 vs 0.87 on the originals).
Their high-frequency energy (mean |x - blur(x, sigma=1)|) is a third of the real images'
(0.004 vs 0.012), and blurring the real images with sigma=1 alone drops tuberculosis
recall to 0.09; putting the real images' own fine detail back onto the reconstructions
restores it to 0.77. So the decoder is too smooth, and the fix is a decoder that draws
texture, not a different latent space.

What: the encoder and the decoder up to its first full-resolution conv (conv_in ..
blocks[9]) stay frozen; their output for each training image is computed once and cached
(64x256x256, float16, 8 MiB an image). Only the tail (blocks[10], a ResBlock 64->32, and
out: 31k parameters) trains, on whole images (GroupNorm statistics would differ on
crops; a larger trainable tail cost 1.3 s an image on this machine, this one a third), with L1 + Laplacian-pyramid L1
+ a hinge PatchGAN term whose weight is set each step from the ratio of gradient norms at
the last layer (the latent-diffusion autoencoder recipe). The latent space does not move,
so the shipped UNet keeps working and the new vae_decoder.onnx drops in.

The classifier never enters the loss: it is the judge of prompt adherence and only
measures (recall per finding on reconstructions of held-out test images).

    /work/venv-ort/bin/python -m training.train.tune_decoder_tail --out .runs/tail --minutes 55
      (a Python with torch and onnxruntime: the judge runs the shipped classifier.onnx;
       training/README.md says how to make one from the apt torch)
Writes, progressively: log.txt, decoder.pt (the whole decoder's state_dict) and disc.pt
(the discriminator, for --resume) after each evaluation, and at the end metrics.json
(before, each evaluation, after) and vae_decoder.onnx.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from training.models import bundle_weights  # noqa: E402
from training.data.cxrdata import CLASSES, read_records  # noqa: E402
from training.export.export_onnx import export  # noqa: E402
from training.models.networks import Decoder, Encoder  # noqa: E402
from training.train.train_decoder import PatchDiscriminator, discriminator_step, reconstruction_loss  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEAD = 10  # decoder.blocks[:HEAD] are frozen and cached; blocks[HEAD:] (the last ResBlock, 64->32) and out train


def png01(path):
    return np.asarray(Image.open(path).convert('L'), np.float32) / 255


def high_frequency(x):
    """Mean |x - gaussian_blur(x, sigma=1)| per image: how much fine texture an image has."""
    r = 4
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t ** 2 / 2)
    k = k / k.sum()
    b = F.conv2d(F.pad(x, (r, r, 0, 0), mode='reflect'), k.view(1, 1, 1, -1))
    b = F.conv2d(F.pad(b, (0, 0, r, r), mode='reflect'), k.view(1, 1, -1, 1))
    return (x - b).abs().mean((1, 2, 3))


def pick(records, split, per_class, seed):
    """Up to per_class images of each class from split, in a seeded random order."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(len(CLASSES)):
        rs = [r for r in records if r['split'] == split and r['cls'] == k and not (split == 'train' and r['exclude_train'])]
        out += [rs[i] for i in rng.permutation(len(rs))[:per_class]]
    return out


@torch.no_grad()
def cache_head(enc, dec, images, batch=8):
    """The frozen part's features for each image, float16 [n,64,256,256]."""
    feats = []
    for i in range(0, len(images), batch):
        x = torch.from_numpy(images[i:i + batch])[:, None] * 2 - 1
        feats.append(dec.blocks[:HEAD](dec.conv_in(enc(x)[0])).half())
    return torch.cat(feats)


def tail(dec, h):
    return dec.out(dec.blocks[HEAD:](h.float()))


@torch.no_grad()
def measure(dec, feats, images, cls, judge, batch=16):
    recon = torch.cat([((tail(dec, feats[i:i + batch]) + 1) / 2).clamp(0, 1) for i in range(0, len(feats), batch)])
    x = torch.from_numpy(images)[:, None]
    psnr = -10 * torch.log10(((recon - x) ** 2).mean((1, 2, 3)).clamp_min(1e-10))
    out = {'psnr_test': round(float(psnr.mean()), 3), 'n_test': len(images),
           'high_frequency': {'real': round(float(high_frequency(x).mean()), 5),
                              'reconstructed': round(float(high_frequency(recon).mean()), 5)}}
    if judge is not None:
        for name, imgs in (('real', x), ('reconstructed', recon)):
            pred = judge.classify(imgs)[0].argmax(1)
            out[f'recall_{name}'] = {c: round(float((pred[cls == k] == k).mean()), 4)
                                     for k, c in enumerate(CLASSES) if (cls == k).any()}
    return out


def save(dec, disc, out):
    torch.save(dec.state_dict(), os.path.join(out, 'decoder.pt'))
    torch.save(disc.state_dict(), os.path.join(out, 'disc.pt'))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--map', default=os.path.join(HERE, '..', '.gpu', 'weight_map.json'))
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=55.0, help='training time; caching, measuring and export come on top')
    ap.add_argument('--train-per-class', type=int, default=150)
    ap.add_argument('--test-per-class', type=int, default=53)
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--lr', type=float, default=1e-4)
    ap.add_argument('--adv-after', type=int, default=100, help='steps of discriminator warm-up before its term enters the loss')
    ap.add_argument('--adv-scale', type=float, default=0.5, help='multiplies the adaptive adversarial weight')
    ap.add_argument('--eval-every', type=float, default=10.0, help='minutes between measurements')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--resume', help='an earlier run\'s --out: start from its decoder.pt and (if saved) disc.pt; '
                    '"bundle": from the shipped decoder, with a fresh discriminator')
    ap.add_argument('--keep-checkpoints', action='store_true',
                    help='also keep the decoder of every evaluation as decoder_step<N>.pt (stage 4 shipped one of them)')
    ap.add_argument('--smoke', action='store_true', help='8 images per class, a few steps')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, 'log.txt'), 'a')

    def say(*parts):
        line = time.strftime('%H:%M:%S ') + ' '.join(str(p) for p in parts)
        print(line, flush=True)
        log.write(line + '\n')
        log.flush()

    torch.manual_seed(0)
    wm = json.load(open(args.map))['files']
    enc = bundle_weights.load(Encoder(), args.bundle, 'vae_encoder.onnx', wm).eval().requires_grad_(False)
    dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).eval()
    if args.resume and args.resume != 'bundle':
        dec.load_state_dict(torch.load(os.path.join(args.resume, 'decoder.pt')))
    dec.conv_in.requires_grad_(False)
    dec.blocks[:HEAD].requires_grad_(False)
    per_train, per_test = (8, 8) if args.smoke else (args.train_per_class, args.test_per_class)
    records = read_records(args.data)
    train_r, test_r = pick(records, 'train', per_train, 0), pick(records, 'test', per_test, 1)
    load = lambda rs: np.stack([png01(os.path.join(args.data, r['folder'], r['file'])) for r in rs])
    train, test = load(train_r), load(test_r)
    test_cls = np.array([r['cls'] for r in test_r])
    try:
        from training.train.continue_gpu import Judge
        judge = Judge(args.bundle)
    except ImportError as error:
        judge = None
        say(f'no judge ({error}): PSNR and texture only')
    t0 = time.time()
    train_f, test_f = cache_head(enc, dec, train), cache_head(enc, dec, test)
    trainable = [p for p in dec.parameters() if p.requires_grad]
    say(f'{len(train)} train, {len(test)} test images cached in {time.time() - t0:.0f} s; '
        f'{sum(p.numel() for p in trainable)} of {sum(p.numel() for p in dec.parameters())} decoder parameters train')
    metrics = {'before': measure(dec, test_f, test, test_cls, judge), 'evaluations': []}
    say('before', json.dumps(metrics['before']))

    disc = PatchDiscriminator()
    # A resumed decoder already has its texture: while a fresh discriminator warms up it
    # stays frozen, because reconstruction loss alone blurs it again (.runs/tail2 did
    # train it then, and its TB recall fell from 0.58 to 0.00 before the adversarial
    # term brought it back to 0.64 at step 489).
    freeze_during_warm_up = False
    if args.resume and os.path.exists(os.path.join(args.resume, 'disc.pt')):
        disc.load_state_dict(torch.load(os.path.join(args.resume, 'disc.pt')))
        args.adv_after = 0
    elif args.resume:  # the bundle, or runs before disc.pt was saved (.runs/tail1): a fresh discriminator, warmed up first
        freeze_during_warm_up = True
        say('no disc.pt in', args.resume, '- a fresh discriminator, warmed up for', args.adv_after, 'steps with the decoder frozen')
    opt = torch.optim.Adam(trainable, lr=args.lr, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), lr=args.lr, betas=(0.5, 0.9))
    train_t = torch.from_numpy(train)[:, None]
    last = dec.out[-1].weight
    start = time.time()
    deadline = start + 60 * args.minutes
    next_eval = start + 60 * args.eval_every
    step, d_loss, weight = 0, torch.tensor(0.0), 0.0
    while (step < 6 if args.smoke else time.time() < deadline):
        idx = torch.randint(0, len(train_t), (args.batch,))
        flip = torch.rand(args.batch) < 0.5
        h = torch.where(flip[:, None, None, None], train_f[idx].flip(3), train_f[idx])
        x = torch.where(flip[:, None, None, None], train_t[idx].flip(3), train_t[idx]) * 2 - 1
        dec.train()
        if freeze_during_warm_up and step < args.adv_after:
            with torch.no_grad():
                y = tail(dec, h)
                rec = reconstruction_loss(y, x)
            loss = None
        else:
            y = tail(dec, h)
            rec = reconstruction_loss(y, x)
            loss = rec
        if loss is not None and step >= args.adv_after:
            adv = -disc(y).mean()
            g_rec = torch.autograd.grad(rec, last, retain_graph=True)[0]
            g_adv = torch.autograd.grad(adv, last, retain_graph=True)[0]
            weight = args.adv_scale * float((g_rec.norm() / (g_adv.norm() + 1e-4)).clamp(0, 1e4))
            loss = rec + weight * adv
        if loss is not None:
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        d_loss = discriminator_step(disc, opt_d, x, y)
        step += 1
        if step % 50 == 0 or args.smoke:
            say(f'step {step} ({(time.time() - start) / step:.2f} s/step) rec {rec.item():.4f} d {d_loss.item():.3f} adv_weight {weight:.3f}')
        if time.time() > next_eval or (args.smoke and step == 3):
            m = measure(dec.eval(), test_f, test, test_cls, judge)
            m['step'], m['minutes'] = step, round((time.time() - start) / 60, 1)
            metrics['evaluations'].append(m)
            say('eval', json.dumps(m))
            save(dec, disc, args.out)
            if args.keep_checkpoints:
                torch.save(dec.state_dict(), os.path.join(args.out, f'decoder_step{step}.pt'))
            next_eval = time.time() + 60 * args.eval_every
    save(dec, disc, args.out)
    metrics['after'] = measure(dec.eval(), test_f, test, test_cls, judge)
    metrics['training'] = {'steps': step, 'batch': args.batch, 'lr': args.lr, 'adv_after': args.adv_after,
                           'decoder_frozen_during_warm_up': freeze_during_warm_up, 'resumed_from': args.resume,
                           'adv_scale': args.adv_scale, 'train_images': len(train), 'minutes': args.minutes,
                           'device': f'CPU, {args.threads} threads (torch {torch.__version__})'}
    say('after', json.dumps(metrics['after']))
    with open(os.path.join(args.out, 'metrics.json'), 'w') as f:
        json.dump(metrics, f, indent=1)
    export(dec, (torch.randn(1, 4, 32, 32),), os.path.join(args.out, 'vae_decoder.onnx'), ['latent'], ['image'])
    say('wrote', os.path.join(args.out, 'vae_decoder.onnx'))


if __name__ == '__main__':
    main()
