"""One cell of synthetic_gain.py's grid: a task (cls, seg), a real-data size, an arm and a
seed. The model is trained end to end from a random initialisation for the same number
of steps in every arm, then scored on the held-out test images.

Arms (the synthetic images each one adds; see synthetic_pool.py for the pool):
  real                     real images only
  real+synthetic           + the pool, unfiltered (cls: class prompts; seg: mask-conditioned)
  real+filtered            + the pool images the project's proxy keeps (cls: p(prompted) >= t;
                             seg: segmenter Dice vs the conditioning mask >= t)
  real+judge-filtered      + those the independent reference-v0 models keep, same thresholds
  real+filtered+variants   (seg) + filtered images conditioned on the masks and on their variants
  pretrain-synthetic       the filtered pool alone for half the steps, then real alone
  real+reviewed            + the Curate export's accepted images (with --reviews)
Mixing arms draw a fixed share of every batch from the synthetic set. The same seed gives
every arm the same real subset and the same initial weights, so arms pair by seed.
"""
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from training.train import train_all as T
from training.data.cxrdata import CLASSES
from training.models.networks import Classifier, SegUNet
from training.experiments.synthetic_data import CHANNEL

ARMS = {
    'cls': ['real', 'real+synthetic', 'real+filtered', 'real+judge-filtered', 'pretrain-synthetic'],
    'seg': ['real', 'real+synthetic', 'real+filtered', 'real+judge-filtered', 'real+filtered+variants', 'pretrain-synthetic'],
}
MODELS = {  # the shipped architectures; the smoke preset's are a fraction of their width
    'full': {'cls': lambda: Classifier(), 'seg': lambda: SegUNet()},
    'smoke': {'cls': lambda: Classifier(stem=8, widths=(16, 24, 32, 48), blocks=(1, 1, 1, 1)),
              'seg': lambda: SegUNet(ch=(8, 16, 24, 32, 48))},
}


def real_subset(labels, size, seed, rare_class, rare_count):
    """Positions into a task's training records for a size ('5' .. '100' percent, or
    'rare'): stratified by label (class or mask convention), nested across sizes for one
    seed; 'rare' keeps every image except rare_count of the rare class."""
    rng = np.random.default_rng(1000 + seed)
    out = []
    for value in np.unique(labels):
        pos = rng.permutation(np.nonzero(labels == value)[0])
        if size == 'rare':
            keep = rare_count if value == rare_class else len(pos)
        else:
            keep = max(1, math.ceil(float(size) / 100 * len(pos)))
        out.append(pos[:keep])
    return np.sort(np.concatenate(out))


def synthetic_set(pool, task, arm, t_cls, t_seg):
    """Pool positions an arm adds (None: the arm adds none from the pool)."""
    if arm in ('real', 'real+reviewed'):
        return None
    if task == 'cls':
        ok = pool['kind'] == 'class'
        score, thr = ('ref_p_prompted' if arm == 'real+judge-filtered' else 'p_prompted'), t_cls
    else:
        ok = np.isin(pool['kind'], ['mask', 'variant'] if arm == 'real+filtered+variants' else ['mask'])
        score, thr = ('ref_dice' if arm == 'real+judge-filtered' else 'dice'), t_seg
    if arm != 'real+synthetic':
        ok &= np.nan_to_num(pool[score], nan=-1.0) >= thr
    return np.nonzero(ok)[0]


class Batches:
    """Random training batches from one set: images [n,1,s,s] uint8 on the device, a target
    per image (class, or mask + channel), drawn class-balanced for classification."""

    def __init__(self, images, targets, channels, task, gen):
        self.images, self.targets, self.channels, self.gen = images, targets, channels, gen
        if task == 'cls':
            counts = torch.bincount(targets, minlength=len(CLASSES)).float()
            self.p = (1.0 / counts[targets]).cpu()
        else:
            self.p = torch.ones(len(images))

    def draw(self, n):
        pick = torch.multinomial(self.p, n, replacement=True, generator=self.gen).to(self.images.device)
        return self.images[pick].float() / 255, self.targets[pick], None if self.channels is None else self.channels[pick]


def _step_loss(model, task, x, target, channel, dev):
    if task == 'cls':
        (x,) = T.random_affine(x, rot_deg=10, scale=(0.9, 1.1))
        with T.autocast(dev):
            logits, _ = model(T.jitter_intensity(x))
        return F.cross_entropy(logits.float(), target, label_smoothing=0.1)
    x, m = T.random_affine(x, target.float()[:, None])
    with T.autocast(dev):
        logits = model(T.jitter_intensity(x))
    sel = logits.float()[torch.arange(len(x), device=dev), channel]
    prob, m = torch.sigmoid(sel), m[:, 0]
    soft_dice = 1 - (2 * (prob * m).flatten(1).sum(1) + 1) / (prob.flatten(1).sum(1) + m.flatten(1).sum(1) + 1)
    return F.binary_cross_entropy_with_logits(sel, m) + soft_dice.mean()


@torch.no_grad()
def _evaluate(model, task, images, target, bs=256):
    model.eval()
    outs = []
    for i in range(0, len(images), bs):
        x = images[i:i + bs].float() / 255
        if task == 'cls':
            outs.append(torch.softmax(model(x)[0].float(), 1))
        else:
            pred = (model(x).float()[:, CHANNEL['shenzhen']] > 0).float()
            outs.append(T.dice(pred, target[i:i + bs].float()))
    return torch.cat(outs).cpu().numpy()


def run_cell(ctx, cell):
    """Trains and scores one cell; ctx is synthetic_gain.Context (data on its device)."""
    t0 = time.time()
    task, size, arm, seed = cell['task'], cell['size'], cell['arm'], cell['seed']
    cfg, dev = ctx.cfg, ctx.device
    real_pos = real_subset(ctx.train_labels[task].cpu().numpy(), size, seed, cfg['rare_class'], cfg['rare_count'])
    real = ctx.train_set(task, real_pos)
    syn = ctx.synthetic(task, arm)
    torch.manual_seed(seed)
    model = MODELS[cfg['models']][task]().to(dev)
    steps, bs = cfg['steps'][task], cfg['batch'][task]
    gen = torch.Generator().manual_seed(seed)
    real_b = Batches(*real, task, gen)
    syn_b = Batches(*syn, task, gen) if syn is not None and len(syn[0]) else None
    phases = [(steps // 2, 'synthetic'), (steps - steps // 2, 'real')] if arm == 'pretrain-synthetic' else [(steps, 'mix')]
    for n_steps, phase in phases:
        opt = torch.optim.AdamW(model.parameters(), lr=cfg['lr'], weight_decay=5e-4)
        model.train()
        for step in range(n_steps):
            lr = cfg['lr'] * min(1.0, (step + 1) / 50) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / n_steps)))
            for g in opt.param_groups:
                g['lr'] = lr
            n_syn = bs if phase == 'synthetic' else (round(bs * cfg['syn_share']) if phase == 'mix' and syn_b else 0)
            if phase == 'synthetic' and syn_b is None:
                n_syn = 0
            parts = ([syn_b.draw(n_syn)] if n_syn else []) + ([real_b.draw(bs - n_syn)] if bs - n_syn else [])
            x = torch.cat([p[0] for p in parts])
            target = torch.cat([p[1] for p in parts])
            channel = torch.cat([p[2] for p in parts]) if task == 'seg' else None
            loss = _step_loss(model, task, x, target, channel, dev)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    out = _evaluate(model, task, ctx.test_images[task], ctx.test_targets[task])
    result = dict(cell, n_real=int(len(real_pos)), n_synthetic=0 if syn is None else int(len(syn[0])),
                  steps=steps, batch=bs, last_loss=round(float(loss), 4), seconds=round(time.time() - t0, 2))
    if task == 'cls':
        result['probs'] = np.round(out, 4).tolist()
    else:
        result['dice'] = np.round(out, 4).tolist()
    return result
