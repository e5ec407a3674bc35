"""Train every model of CXR Studio in one time-budgeted run, then measure them.

Two processes share the GPU: this one trains the autoencoder, then the text encoder and
denoising UNet; a child (`--stage analysis`) trains the lung segmenter, then the finding
classifier. The UNet waits for the segmenter to give lung masks (pseudo-labels) to the
images that have none, so every image can teach mask conditioning. Every stage runs for
a wall-clock budget rather than a step count, saves its weights the moment it finishes
(fp16-rounded, as they ship) and measures itself on the val and test splits with those
rounded weights.

GPU run (what the device tool runs; the pack comes from pack_data.py):
    python3 -m training.train.train_all --pack .pack/cxr256.npz --out $OUT
CPU smoke run (minutes, tiny batches, proves the whole path):
    python3 -m training.train.train_all --pack .pack/cxr256.npz --out .runs/smoke --smoke
Outputs (at most 8 files, each under 16 MiB, for the device tool): segmenter.npz,
classifier.npz, autoencoder.npz, text_encoder.npz, unet_a.npz, unet_b.npz (weights and
a __meta__ JSON with config and metrics), metrics.json and log.txt.
"""
import argparse
import contextlib
import io
import json
import math
import os
import subprocess
import sys
import time
from multiprocessing import Pool

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from training.data.cxrdata import CLASS_PROMPTS, CLASSES, MAX_TOKENS, build_vocab, encode
from training.data.mask_conditioning import FLAG_MODES, MaskBank, balance_table, balanced_weights
from training.data.augment import acquisition_augment
from training.models.networks import (SEG_SIZES, Classifier, ClassifierWithAbnormal, CondUNet, Decoder, Encoder, SegAtSize, SegUNet,
                                      TextEncoder, build_segmenter, count_params)

T0 = time.time()
LOG = None
MASK_CHANNELS = ['lung', 'lung_given', 'lung_shenzhen', 'lesion', 'lesion_given']
CONVENTION_CHANNEL = {'v7': 0, 'shenzhen': 1}  # segmenter output channel per mask convention


def log(*args):
    line = f'[{time.time() - T0:7.1f}s] ' + ' '.join(str(a) for a in args)
    print(line, flush=True)
    if LOG:
        with open(LOG, 'a') as f:
            f.write(line + '\n')


def start_run(out, smoke, args):
    """The opening of every GPU script: the output folder, its log.txt, the device (the CPU
    for a smoke run), TF32 matmuls on CUDA, seed 0, and a first log line naming both."""
    global LOG
    os.makedirs(out, exist_ok=True)
    LOG = os.path.join(out, 'log.txt')
    dev = torch.device('cuda' if torch.cuda.is_available() and not smoke else 'cpu')
    if dev.type == 'cuda':
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    torch.manual_seed(0)
    log(f'torch {torch.__version__} on {torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu"}; args {args}')
    return dev


# ---------------------------------------------------------------- data

def _decode(blob):
    return np.asarray(Image.open(io.BytesIO(blob)).convert('L'))


class Data:
    """All images (uint8) and masks on the training device, plus per-record metadata."""

    def __init__(self, pack, device, workers, per_group=0):
        z = np.load(pack)
        self.records = json.loads(bytes(z['records']).decode())
        keep = range(len(self.records))
        if per_group:  # smoke runs: the first few images of each folder and split
            seen = {}
            keep = [i for i, r in enumerate(self.records)
                    if seen.setdefault((r['folder'], r['split']), []).append(i) or len(seen[(r['folder'], r['split'])]) <= per_group]
            self.records = [self.records[i] for i in keep]
        jpeg, off = z['jpeg'], z['offsets']
        blobs = [jpeg[off[i]:off[i + 1]].tobytes() for i in keep]
        with Pool(workers) as pool:
            imgs = np.stack(pool.map(_decode, blobs, chunksize=32))
        self.device = device
        self.images = torch.from_numpy(imgs).to(device)
        self.lung = torch.from_numpy(np.unpackbits(z['lung'], axis=2)).to(device)
        self.lesion = torch.from_numpy(np.unpackbits(z['lesion'], axis=2)).to(device)
        r = self.records
        self.split = np.array([x['split'] for x in r])
        self.folder = np.array([x['folder'] for x in r])
        self.cls = np.array([x['cls'] for x in r])
        self.lung_index = np.array([x['lung_index'] for x in r])
        self.lesion_index = np.array([x['lesion_index'] for x in r])
        self.convention = np.array([x['convention'] or '' for x in r])
        self.trainable = np.array([not x['exclude_train'] for x in r])
        self.source = np.array([x.get('source', x['folder']) for x in r])  # packs before issue 17 had no source
        self.abnormal = np.array([x.get('abnormal', x['cls'] != 0) for x in r])

    def idx(self, split, with_lung=False, any_class=False):
        """Indices of a split's records; only those with one of CLASSES (cls >= 0) unless
        any_class (JSRT's lung-nodule images have cls -1: masks and abnormal only)."""
        keep = self.split == split
        if split == 'train':
            keep &= self.trainable
        if with_lung:
            keep &= self.lung_index >= 0
        if not any_class:
            keep &= self.cls >= 0
        return np.nonzero(keep)[0]

    def images01(self, idx):
        return self.images[torch.as_tensor(idx, device=self.device)].float().div(255.0)[:, None]

    def lung_masks(self, idx):
        li = torch.as_tensor(self.lung_index[idx], device=self.device)
        return self.lung[li].float()[:, None]


def random_affine(x, *masks, rot_deg=8.0, scale=(0.92, 1.08), shift=0.06):
    """The same random rotation/scale/shift for an image batch and its masks."""
    b, dev = x.shape[0], x.device
    a = (torch.rand(b, device=dev) * 2 - 1) * math.radians(rot_deg)
    s = torch.empty(b, device=dev).uniform_(*scale)
    tx, ty = (torch.rand(2, b, device=dev) * 2 - 1) * shift * 2
    cos, sin = torch.cos(a) / s, torch.sin(a) / s
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = [F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=False)]
    for m in masks:
        out.append((F.grid_sample(m, grid, mode='bilinear', padding_mode='zeros', align_corners=False) > 0.5).float())
    return out


def jitter_intensity(x):
    b = x.shape[0]
    shape = (b, 1, 1, 1)
    gamma = torch.exp((torch.rand(shape, device=x.device) * 2 - 1) * 0.25)
    contrast = 0.85 + 0.3 * torch.rand(shape, device=x.device)
    bright = (torch.rand(shape, device=x.device) * 2 - 1) * 0.08
    return ((x.clamp(1e-4, 1) ** gamma - 0.5) * contrast + 0.5 + bright).clamp(0, 1)


class Schedule:
    """Cosine learning-rate decay over a wall-clock budget, with a short warm-up."""

    def __init__(self, opt, base_lr, budget, warmup_steps=100, floor=0.05):
        self.opt, self.base, self.budget, self.warm, self.floor = opt, base_lr, budget, warmup_steps, floor
        self.start, self.step_n = time.time(), 0

    def frac(self):
        return min(1.0, (time.time() - self.start) / self.budget)

    def step(self):
        self.step_n += 1
        f = self.frac()
        lr = self.base * (self.floor + (1 - self.floor) * 0.5 * (1 + math.cos(math.pi * f)))
        lr *= min(1.0, self.step_n / self.warm)
        for g in self.opt.param_groups:
            g['lr'] = lr
        return f < 1.0


def autocast(device):
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == 'cuda')


# ---------------------------------------------------------------- saving

def rounded_state(model):
    """State dict as it ships: weights fp16 (running statistics stay fp32)."""
    out = {}
    for k, v in model.state_dict().items():
        v = v.detach().cpu()
        if v.is_floating_point() and 'running' not in k:
            v = v.half()
        out[k] = v.numpy()
    return out


def save_npz(path, states, meta):
    arrays = {f'{prefix}/{k}': v for prefix, sd in states.items() for k, v in sd.items()}
    arrays['__meta__'] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    tmp = path + '.tmp.npz'
    np.savez(tmp, **arrays)
    os.replace(tmp, path)
    log(f'saved {os.path.basename(path)} ({os.path.getsize(path) / 2**20:.1f} MiB)')


def load_rounded(model, sd):
    model.load_state_dict({k: torch.from_numpy(v.astype(np.float32) if v.dtype == np.float16 else v)
                           for k, v in sd.items()})
    return model


# ---------------------------------------------------------------- metrics

def dice(pred, target):
    """Per-image Dice of binary [B,H,W] tensors; both empty counts as 1."""
    inter = (pred * target).flatten(1).sum(1)
    total = pred.flatten(1).sum(1) + target.flatten(1).sum(1)
    return torch.where(total > 0, 2 * inter / total.clamp(min=1), torch.ones_like(total))


@torch.no_grad()
def predict(model, data, idx, bs=64):
    model.eval()
    outs = []
    for i in range(0, len(idx), bs):
        with autocast(data.device):
            y = model(data.images01(idx[i:i + bs]))
        outs.append(tuple(t.float() for t in y) if isinstance(y, tuple) else y.float())
    model.train()
    if isinstance(outs[0], tuple):
        return tuple(torch.cat(parts) for parts in zip(*outs))
    return torch.cat(outs)


@torch.no_grad()
def lung_dice(model, data, idx, bs=64):
    """Per-image Dice (numpy) of the segmenter's channel for each image's own convention."""
    model.eval()
    out = []
    for i in range(0, len(idx), bs):
        part = np.asarray(idx[i:i + bs])
        with autocast(data.device):
            logits = model(data.images01(part)).float()
        ch = torch.as_tensor([CONVENTION_CHANNEL[c] for c in data.convention[part]], device=data.device)
        pred = (logits[torch.arange(len(part), device=data.device), ch] > 0).float()
        out.append(dice(pred, data.lung_masks(part)[:, 0]).cpu().numpy())
    model.train()
    return np.concatenate(out) if out else np.zeros(0)


def dice_summary(d, **extra):
    return {'dice_mean': round(float(d.mean()), 4), 'dice_median': round(float(np.median(d)), 4), 'n': len(d), **extra}


def segmenter_metrics(model, data):
    """Dice per split and mask folder, on the channel of the folder's convention."""
    out = {}
    for split in ('val', 'test'):
        idx = data.idx(split, with_lung=True, any_class=True)
        for folder in sorted(set(data.folder[idx])):
            sel = idx[data.folder[idx] == folder]
            out[f'{split}/{folder}'] = dice_summary(lung_dice(model, data, sel), channel=CONVENTION_CHANNEL[data.convention[sel[0]]],
                                                    convention=data.convention[sel[0]])
    return out


def classifier_outputs(model, data, idx):
    """Finding probabilities [N,4], P(abnormal) [N] (the abnormal head where the model has
    one, else 1 - P(normal)) and 256-d features, as numpy."""
    head = model.abnormal_fc is not None
    out = predict(ClassifierWithAbnormal(model) if head else model, data, idx)
    prob = torch.softmax(out[0], 1)
    abnormal = torch.sigmoid(out[2][:, 0]) if head else 1 - prob[:, 0]
    return prob.cpu().numpy(), abnormal.cpu().numpy(), out[1].cpu().numpy()


def classifier_scores(prob, p_abnormal, cls, abnormal):
    """Scores on one set of images. The 4-way finding is scored on images with a class
    (cls >= 0), macro F1 over the classes present only; per-class AUC where the set has
    both positives and negatives; abnormal-vs-normal on every image (JSRT nodules too)."""
    from sklearn.metrics import f1_score, roc_auc_score
    has = cls >= 0
    y, p = cls[has], prob[has]
    pred = p.argmax(1)
    present = sorted(int(c) for c in set(y))
    res = {'n': int(len(cls)), 'n_finding': int(has.sum()), 'classes_present': [CLASSES[c] for c in present]}
    if has.any():
        res['accuracy'] = round(float((pred == y).mean()), 4)
        res['macro_f1_present'] = round(float(f1_score(y, pred, average='macro', labels=present, zero_division=0)), 4)
        res['predicted'] = {name: int((pred == c).sum()) for c, name in enumerate(CLASSES)}
        per = {}
        for c in present:
            r = {'n': int((y == c).sum()), 'recall': round(float((pred[y == c] == c).mean()), 4),
                 'f1': round(float(f1_score(y == c, pred == c, zero_division=0)), 4)}
            if 0 < (y == c).sum() < len(y):
                r['auc'] = round(float(roc_auc_score(y == c, p[:, c])), 4)
            per[CLASSES[c]] = r
        res['per_class'] = per
    ab = np.asarray(abnormal, bool)
    res['abnormal'] = {'n_abnormal': int(ab.sum()), 'n_normal': int((~ab).sum()),
                       'f1': round(float(f1_score(ab, p_abnormal > 0.5, zero_division=0)), 4),
                       'recall': round(float((p_abnormal[ab] > 0.5).mean()), 4) if ab.any() else None,
                       'specificity': round(float((p_abnormal[~ab] <= 0.5).mean()), 4) if (~ab).any() else None}
    if ab.any() and (~ab).any():
        res['abnormal']['auc'] = round(float(roc_auc_score(ab, p_abnormal)), 4)
    return res


def classifier_metrics(model, data):
    """val and test: the v1 keys (accuracy, macro_f1 over 4 classes, f1_per_class, AUC,
    per_folder) plus abnormal-vs-normal and per-source scores (classifier_scores)."""
    from sklearn.metrics import f1_score, roc_auc_score
    out = {}
    for split in ('val', 'test'):
        idx = data.idx(split, any_class=True)
        prob, p_ab, _ = classifier_outputs(model, data, idx)
        has = data.cls[idx] >= 0
        y, pred = data.cls[idx][has], prob[has].argmax(1)
        res = {'n': int(has.sum()), 'accuracy': round(float((pred == y).mean()), 4),
               'macro_f1': round(float(f1_score(y, pred, average='macro', labels=range(4), zero_division=0)), 4),
               'f1_per_class': dict(zip(CLASSES, [round(float(v), 4) for v in
                                                  f1_score(y, pred, average=None, labels=range(4), zero_division=0)]))}
        try:
            res['auc_macro_ovr'] = round(float(roc_auc_score(y, prob[has], multi_class='ovr', average='macro', labels=range(4))), 4)
        except ValueError as e:
            res['auc_macro_ovr'] = f'n/a ({e})'
        res['abnormal'] = classifier_scores(prob, p_ab, data.cls[idx], data.abnormal[idx])['abnormal']
        res['per_folder'] = {}
        for folder in sorted(set(data.folder[idx])):
            sel = data.folder[idx] == folder
            res['per_folder'][folder] = classifier_scores(prob[sel], p_ab[sel], data.cls[idx][sel], data.abnormal[idx][sel])
        out[split] = res
    return out


# ---------------------------------------------------------------- stage: segmenter + classifier

# What LOSO (loso.py) compares. baseline is the v1 recipe; robust is issue 17's.
RECIPES = {
    'baseline': {'augment': 'affine+intensity', 'balance': 'class', 'abnormal_head': False, 'source_adversarial': 0.0},
    'robust': {'augment': 'acquisition', 'balance': 'class+source', 'abnormal_head': True, 'source_adversarial': 0.1},
    'robust_no_adversary': {'augment': 'acquisition', 'balance': 'class+source', 'abnormal_head': True,
                            'source_adversarial': 0.0},
}
NODULE_LABEL = len(CLASSES)  # the sampling label of cls -1 (JSRT lung nodule)


def balanced_weights(*levels, label_weight=None):
    """Sampling probabilities that are uniform at each level of a hierarchy: e.g. levels
    (label, source) give every label the same share, every source the same share of its
    label, every image the same share of its (label, source). label_weight scales the
    first level's shares (a dict value -> factor)."""
    n = len(levels[0])
    keys = [()] * n
    p = np.ones(n)
    for depth, level in enumerate(levels):
        new = [k + (v,) for k, v in zip(keys, level)]
        children = {}
        for k, nk in zip(keys, new):
            children.setdefault(k, set()).add(nk)
        p *= np.array([1.0 / len(children[k]) for k in keys])
        if depth == 0 and label_weight:
            p *= np.array([label_weight.get(v, 1.0) for v in level])
        keys = new
    counts = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    p /= np.array([counts[k] for k in keys])
    return p / p.sum()


class _ReverseGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.scale * grad, None


def augment_batch(recipe, x, *masks):
    if RECIPES[recipe]['augment'] == 'acquisition':
        return acquisition_augment(x, *masks)
    out = random_affine(x, *masks) if masks else random_affine(x, rot_deg=10, scale=(0.9, 1.1))
    return [jitter_intensity(out[0]), *out[1:]]


def downsample(x, factor):
    """Images and masks for a segmenter that runs at 256 / factor px: factor x factor averages,
    as SegAtSize pools its input. Masks stay soft (the lung fraction of each cell): their area
    is kept exactly, and a sigmoid trained on them is that fraction, so the wrapper's bilinear
    upsampling of the logits, read at 0 (probability 0.5), draws the border where the
    full-resolution mask has it. Thresholding instead moves every border cell to one side."""
    return x if factor == 1 else F.avg_pool2d(x, factor)


def train_segmenter(data, budget, bs, out_dir, recipe='baseline', save=True, size=256, filename='segmenter.npz'):
    """Lung segmenter, one output channel per convention. Shenzhen's convention has two
    mask sources (Shenzhen, JSRT/SCR), V7's one (ieee8023 + covid_multiseg). robust
    samples each convention equally and each source equally within it. size 128 trains the
    SegUNet on 2x2-averaged images and masks (augmented at 256 px first, as the app's
    images arrive) and returns it inside SegAtSize, so that metrics, LOSO and pseudo-masks
    score 256 px logits against the full-resolution masks, as for a 256 px segmenter."""
    dev = data.device
    model = SegUNet().to(dev)
    factor = 256 // size
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = Schedule(opt, 2e-3, budget)
    idx = data.idx('train', with_lung=True, any_class=True)
    if RECIPES[recipe]['balance'] == 'class':
        p = np.full(len(idx), 1.0 / len(idx))
    else:
        p = balanced_weights(data.convention[idx], data.source[idx])
    ch_of = torch.as_tensor([CONVENTION_CHANNEL[c] for c in data.convention[idx]], device=dev)
    rng = np.random.default_rng(1)
    losses = []
    while sched.step():
        pick = rng.choice(len(idx), bs, p=p)
        x, m = augment_batch(recipe, data.images01(idx[pick]), data.lung_masks(idx[pick]))
        x, m = downsample(x, factor), downsample(m, factor)
        with autocast(dev):
            logits = model(x)
        sel = logits.float()[torch.arange(bs, device=dev), ch_of[torch.as_tensor(pick, device=dev)]]
        target = m[:, 0]
        prob = torch.sigmoid(sel)
        soft_dice = 1 - (2 * (prob * target).flatten(1).sum(1) + 1) / (prob.flatten(1).sum(1) + target.flatten(1).sum(1) + 1)
        loss = F.binary_cross_entropy_with_logits(sel, target) + soft_dice.mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item()) if sched.step_n % 50 == 0 else None
    log(f'segmenter ({recipe}, {size} px): {sched.step_n} steps of batch {bs}; loss every 50 steps: {[round(l, 3) for l in losses[-6:]]}')
    sd = rounded_state(model)
    load_rounded(model, sd)
    model = SegAtSize(model, size)
    if not save:
        return model
    metrics = segmenter_metrics(model, data)
    log('segmenter metrics', json.dumps(metrics))
    meta = {'class': 'SegUNet', 'kwargs': {}, 'params': count_params(model), 'steps': sched.step_n, 'batch': bs,
            'seconds': budget, 'recipe': recipe, 'recipe_spec': RECIPES[recipe], 'seg_size': size,
            'mask_sources': {conv: sorted(set(data.source[idx][data.convention[idx] == conv])) for conv in CONVENTION_CHANNEL},
            'channels': ['lung (v7/ieee8023 convention: includes retrocardiac)',
                         'lung (Shenzhen and JSRT/SCR convention: excludes retrocardiac)'], 'metrics': metrics}
    save_npz(os.path.join(out_dir, filename), {'segmenter': sd}, meta)
    return model


def train_classifier(data, budget, bs, out_dir, recipe='baseline', save=True):
    """4-way finding classifier. robust adds: class- and source-balanced sampling (JSRT
    nodules at half a class's share, for the abnormal output only), acquisition
    augmentation, an abnormal-vs-normal output, and a source adversary (gradient reversal
    on the features, told the label so that it removes source beyond the finding)."""
    spec = RECIPES[recipe]
    dev = data.device
    model = Classifier(abnormal=spec['abnormal_head']).to(dev)
    sources = sorted(set(data.source))
    adversary = torch.nn.Linear(256 + NODULE_LABEL + 1, len(sources)).to(dev) if spec['source_adversarial'] else None
    params = list(model.parameters()) + (list(adversary.parameters()) if adversary is not None else [])
    opt = torch.optim.AdamW(params, lr=1.5e-3, weight_decay=5e-4)
    sched = Schedule(opt, 1.5e-3, budget)
    if spec['balance'] == 'class':
        idx = data.idx('train')
        p = balanced_weights(data.cls[idx])
    else:
        idx = data.idx('train', any_class=True)
        label = np.where(data.cls[idx] >= 0, data.cls[idx], NODULE_LABEL)
        p = balanced_weights(label, data.source[idx], label_weight={NODULE_LABEL: 0.5})
    source_id = {s: i for i, s in enumerate(sources)}
    rng = np.random.default_rng(2)
    losses = []
    while sched.step():
        pick = idx[rng.choice(len(idx), bs, p=p)]
        (x,) = augment_batch(recipe, data.images01(pick))
        y = torch.as_tensor(data.cls[pick], device=dev)
        with autocast(dev):
            out = model(x, with_abnormal=spec['abnormal_head'])
        logits, feats = out[0].float(), out[1].float()
        has = y >= 0
        loss = F.cross_entropy(logits[has], y[has], label_smoothing=0.1) if has.any() else logits.sum() * 0
        if spec['abnormal_head']:
            loss = loss + F.binary_cross_entropy_with_logits(out[2].float()[:, 0],
                                                             torch.as_tensor(data.abnormal[pick], device=dev, dtype=torch.float32))
        if adversary is not None:
            ramp = 2 / (1 + math.exp(-10 * sched.frac())) - 1  # DANN's schedule
            lab = torch.where(has, y, torch.full_like(y, NODULE_LABEL))
            src = torch.as_tensor([source_id[s] for s in data.source[pick]], device=dev)
            adv_in = torch.cat([_ReverseGrad.apply(feats, spec['source_adversarial'] * ramp), F.one_hot(lab, NODULE_LABEL + 1).float()], 1)
            loss = loss + F.cross_entropy(adversary(adv_in), src)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item()) if sched.step_n % 50 == 0 else None
    log(f'classifier ({recipe}): {sched.step_n} steps of batch {bs}; loss every 50 steps: {[round(l, 3) for l in losses[-6:]]}')
    sd = rounded_state(model)
    load_rounded(model, sd)
    if not save:
        return model
    metrics = classifier_metrics(model, data)
    log('classifier metrics', json.dumps(metrics))
    meta = {'class': 'Classifier', 'kwargs': {'abnormal': spec['abnormal_head']}, 'params': count_params(model),
            'steps': sched.step_n, 'batch': bs, 'seconds': budget, 'classes': CLASSES, 'recipe': recipe,
            'recipe_spec': RECIPES[recipe], 'sources': sources, 'metrics': metrics}
    save_npz(os.path.join(out_dir, 'classifier.npz'), {'classifier': sd}, meta)
    return model


# ---------------------------------------------------------------- stage: autoencoder

def train_autoencoder(data, budget, bs, out_dir):
    dev = data.device
    enc, dec = Encoder().to(dev), Decoder().to(dev)
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.AdamW(params, lr=6e-4, weight_decay=1e-5)
    sched = Schedule(opt, 6e-4, budget)
    idx = data.idx('train')
    rng = np.random.default_rng(3)
    losses = []
    while sched.step():
        x = data.images01(idx[rng.integers(0, len(idx), bs)]) * 2 - 1
        with autocast(dev):
            mean, logvar = enc(x)
            logvar = logvar.float().clamp(-20, 5)
            z = mean.float() + torch.exp(0.5 * logvar) * torch.randn_like(logvar)
            rec = dec(z).float()
        kl = 0.5 * (mean.float() ** 2 + logvar.exp() - 1 - logvar).mean()
        loss = (rec - x).abs().mean() + ((rec - x) ** 2).mean() + 1e-5 * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        losses.append(loss.item()) if sched.step_n % 50 == 0 else None
    log(f'autoencoder: {sched.step_n} steps of batch {bs}; loss every 50 steps: {[round(l, 4) for l in losses[-6:]]}')
    sd_e, sd_d = rounded_state(enc), rounded_state(dec)
    load_rounded(enc, sd_e).eval()
    load_rounded(dec, sd_d).eval()
    latents = encode_all(enc, data)
    train_lat = latents[data.idx('train')]
    scaling = float(1.0 / train_lat.float().std())
    metrics = {}
    with torch.no_grad():
        for split in ('val', 'test'):
            per = {}
            for folder in sorted(set(data.folder[data.idx(split)])):
                idx = np.asarray([i for i in data.idx(split) if data.folder[i] == folder])
                ps = []
                for i in range(0, len(idx), 64):
                    x = data.images01(idx[i:i + 64])
                    with autocast(dev):
                        y = dec(latents[torch.as_tensor(idx[i:i + 64], device=dev)])
                    y = ((y.float() + 1) / 2).clamp(0, 1)
                    mse = ((y - x) ** 2).flatten(1).mean(1).clamp(min=1e-10)
                    ps.append(10 * torch.log10(1 / mse))
                per[folder] = round(torch.cat(ps).mean().item(), 2)
            metrics[f'{split}_psnr_db'] = per
    log('autoencoder metrics', json.dumps(metrics), 'scaling_factor', round(scaling, 5))
    meta = {'encoder': {'class': 'Encoder', 'params': count_params(enc)}, 'decoder': {'class': 'Decoder', 'params': count_params(dec)},
            'steps': sched.step_n, 'batch': bs, 'seconds': budget, 'scaling_factor': scaling, 'metrics': metrics}
    save_npz(os.path.join(out_dir, 'autoencoder.npz'), {'encoder': sd_e, 'decoder': sd_d}, meta)
    return enc, dec, latents, scaling, meta


@torch.no_grad()
def encode_all(enc, data, bs=128):
    out = []
    for i in range(0, len(data.records), bs):
        with autocast(data.device):
            mean, _ = enc(data.images01(np.arange(i, min(i + bs, len(data.records)))) * 2 - 1)
        out.append(mean.float())
    return torch.cat(out)


# ---------------------------------------------------------------- stage: diffusion

def load_segmenter(path, device):
    """A saved segmenter.npz as it ships: fp16-rounded weights, inside SegAtSize at its
    recorded seg_size; 256 px in, 256 px logits out."""
    sd, meta = read_npz(path, 'segmenter')
    model = build_segmenter(meta).to(device)
    load_rounded(model.net, sd)
    return model.eval()


def wait_for(path, seconds):
    end = time.time() + seconds
    while not os.path.exists(path) and time.time() < end:
        time.sleep(1)
    return os.path.exists(path)


@torch.no_grad()
def pseudo_lungs(data, seg_path):
    """Both segmenter channels on every image, pooled 8x8 to [N,32,32]: (V7 convention,
    Shenzhen convention). One segmenter and one rule for every source (mask_conditioning.py)."""
    seg = load_segmenter(seg_path, data.device)
    everyone = np.arange(len(data.records))
    v7, shz = [], []
    for i in range(0, len(everyone), 64):
        lungs = (predict(seg, data, everyone[i:i + 64]) > 0).float()
        v7.append(F.avg_pool2d(lungs[:, 0:1], 8)[:, 0])
        shz.append(F.avg_pool2d(lungs[:, 1:2], 8)[:, 0])
    return torch.cat(v7), torch.cat(shz)


def build_mask_cond(data, pseudo, flag='random', p_given=0.25, p_pseudo_shenzhen=0.25):
    """The MaskBank every diffusion sample draws its mask_cond from (mask_conditioning.py):
    ground-truth lung masks where given, the segmenter's two channels (pseudo) on every
    image, lesion masks. Without pseudo (no segmenter) the v1 rule stands in: an image's
    own mask or none."""
    n, dev = len(data.records), data.device
    has = data.lung_index >= 0
    given = torch.zeros(n, 32, 32, device=dev)
    if has.any():
        m = data.lung[torch.as_tensor(data.lung_index[has], device=dev)].float()[:, None]
        given[torch.as_tensor(np.nonzero(has)[0], device=dev)] = F.avg_pool2d(m, 8)[:, 0]
    lesion = torch.zeros(n, 32, 32, device=dev)
    hl = data.lesion_index >= 0
    if hl.any():
        m = data.lesion[torch.as_tensor(data.lesion_index[hl], device=dev)].float()[:, None]
        lesion[torch.as_tensor(np.nonzero(hl)[0], device=dev)] = F.avg_pool2d(m, 8)[:, 0]
    if pseudo is None:
        pseudo, p_given, p_pseudo_shenzhen = (given, given), 1.0, 0.0
    return MaskBank(given, has, data.convention == 'shenzhen', pseudo[0], pseudo[1], lesion, hl,
                    p_given=p_given, p_pseudo_shenzhen=p_pseudo_shenzhen, flag=flag,
                    has_lung=np.ones(n, bool) if pseudo[0] is not given else has)


def prompt_variants(records, vocab):
    """Token ids [N,8,32]: each record's prompt under the 8 keep/drop choices of its
    optional view, population and sex (bit 0 view, bit 1 population, bit 2 sex)."""
    out = np.zeros((len(records), 8, MAX_TOKENS), np.int64)
    for i, r in enumerate(records):
        for v in range(8):
            parts = ['chest x-ray', r['finding']]
            if r['view'] and v & 1:
                parts.append(r['view'])
            if r['population'] and v & 2:
                parts.append(r['population'] + (f" {r['sex']}" if r['sex'] and v & 4 else ''))
            out[i, v] = encode(', '.join(parts), vocab)
    return out


def alphas_cumprod(device):
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
    return torch.cumprod(1 - betas, 0).float().to(device)


class EMA:
    """Exponential moving average of the parameters (the models have no buffers)."""

    def __init__(self, model, decay):
        self.decay = decay
        self.params = [p for p in model.parameters()]
        self.shadow = [p.detach().clone().float() for p in self.params]

    @torch.no_grad()
    def update(self, step):
        d = min(self.decay, (1 + step) / (10 + step))
        torch._foreach_mul_(self.shadow, d)
        torch._foreach_add_(self.shadow, [p.detach().float() for p in self.params], alpha=1 - d)

    @torch.no_grad()
    def copy_to(self):
        for p, s in zip(self.params, self.shadow):
            p.copy_(s)


@contextlib.contextmanager
def ema_swapped(model, ema):
    """The model holds its EMA weights inside the block, its training weights after."""
    saved = [p.detach().clone() for p in ema.params]
    ema.copy_to()
    try:
        yield
    finally:
        with torch.no_grad():
            for p, v in zip(ema.params, saved):
                p.copy_(v)


def train_diffusion(data, latents, mask_cond, vocab, budget, bs, out_dir, init=None, lr=3e-4, tokens=None, joint_drop=0.0,
                    sources=None, checkpoints=(), on_checkpoint=None):
    """init: {'unet': state, 'text_encoder': state} to continue an earlier run's EMA weights.
    data needs only .device, .cls and .idx('train') when tokens (prompt_variants of
    every record) are given. joint_drop: the fraction of samples that lose prompt and
    both masks together, on top of the independent drops (the all-unconditional case
    that guidance on prompt and mask together contrasts with).
    mask_cond: a MaskBank (each sample draws its lung mask kind and flag afresh) or, as
    in v1, a fixed [N,5,32,32] tensor. sources: per record (default data.records'
    `source`): finding x source balanced sampling; without any, class-balanced as v1.
    checkpoints: fractions of the budget at which on_checkpoint(step, unet, text) gets
    the EMA weights (models in eval mode, restored to training afterwards), for
    selection by both judges (cross_source_adherence.py)."""
    dev = data.device
    unet, text = CondUNet(mask_channels=len(MASK_CHANNELS)).to(dev), TextEncoder(len(vocab)).to(dev)
    if init:
        load_rounded(unet, init['unet'])
        load_rounded(text, init['text_encoder'])
    params = list(unet.parameters()) + list(text.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    sched = Schedule(opt, lr, budget, warmup_steps=200 if not init else 50, floor=0.1)
    ema_u, ema_t = EMA(unet, 0.999), EMA(text, 0.999)
    tokens = torch.as_tensor(prompt_variants(data.records, vocab) if tokens is None else tokens, device=dev)
    idx = data.idx('train')
    if sources is None and hasattr(data, 'records') and all('source' in r for r in data.records):
        sources = np.array([r['source'] for r in data.records])
    if sources is not None:
        p = balanced_weights(data.cls[idx], np.asarray(sources)[idx])
        balance = balance_table(data.cls[idx], np.asarray(sources)[idx], p, CLASSES)
    else:
        counts = np.bincount(data.cls[idx], minlength=4)
        p = 1.0 / counts[data.cls[idx]]
        p /= p.sum()
        balance = 'class-balanced (no sources)'
    log('diffusion sampling (finding: source share):', json.dumps(balance))
    bank = mask_cond if isinstance(mask_cond, MaskBank) else None
    pending = sorted(checkpoints)
    ac = alphas_cumprod(dev)
    rng = np.random.default_rng(4)
    keep_p = torch.tensor([0.75, 0.75, 0.75], device=dev)
    bit = torch.tensor([1, 2, 4], device=dev)
    losses = []
    while sched.step():
        pick = torch.as_tensor(idx[rng.choice(len(idx), bs, p=p)], device=dev)
        z0 = latents[pick]
        mc = bank.draw(pick) if bank is not None else mask_cond[pick].clone()
        drop_lung = torch.rand(bs, device=dev) < 0.3
        mc[drop_lung, 0:3] = 0
        drop_lesion = torch.rand(bs, device=dev) < 0.5
        mc[drop_lesion, 3:5] = 0
        variant = ((torch.rand(bs, 3, device=dev) < keep_p).long() * bit).sum(1)
        ids = tokens[pick, variant]
        ids[torch.rand(bs, device=dev) < 0.1] = 0
        if joint_drop:
            none = torch.rand(bs, device=dev) < joint_drop
            ids[none], mc[none] = 0, 0
        t = torch.randint(0, 1000, (bs,), device=dev)
        a = ac[t][:, None, None, None]
        noise = torch.randn_like(z0)
        zt = a.sqrt() * z0 + (1 - a).sqrt() * noise
        with autocast(dev):
            pred = unet(zt, t.float(), text(ids), mc)
        snr = (a / (1 - a)).flatten()
        weight = torch.clamp(snr, max=5.0) / snr
        loss = (weight * ((pred.float() - noise) ** 2).flatten(1).mean(1)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        ema_u.update(sched.step_n)
        ema_t.update(sched.step_n)
        losses.append(loss.item()) if sched.step_n % 100 == 0 else None
        if sched.step_n % 500 == 0:
            log(f'diffusion step {sched.step_n}, loss {loss.item():.4f}, {sched.frac():.0%} of budget')
        if pending and on_checkpoint is not None and sched.frac() >= pending[0]:
            pending.pop(0)
            with ema_swapped(unet, ema_u), ema_swapped(text, ema_t):
                on_checkpoint(sched.step_n, unet.eval(), text.eval())
            unet.train()
            text.train()
    log(f'diffusion: {sched.step_n} steps of batch {bs}; loss every 100 steps: {[round(l, 4) for l in losses[-8:]]}')
    ema_u.copy_to()
    ema_t.copy_to()
    sd_u, sd_t = rounded_state(unet), rounded_state(text)
    load_rounded(unet, sd_u).eval()
    load_rounded(text, sd_t).eval()
    meta = {'unet': {'class': 'CondUNet', 'params': count_params(unet), 'mask_channels': MASK_CHANNELS},
            'continued_from_earlier_run': bool(init), 'lr': lr,
            'text_encoder': {'class': 'TextEncoder', 'params': count_params(text), 'vocab_size': len(vocab)},
            'vocab': vocab, 'steps': sched.step_n, 'batch': bs, 'seconds': budget, 'ema': 0.999,
            'condition_dropout': {'prompt': 0.1, 'lung_mask': 0.3, 'lesion_mask': 0.5, 'view/population/sex each': 0.25,
                                  'prompt_and_masks_together': joint_drop},
            'loss': 'epsilon MSE, min-SNR-5 weighting', 'class_balanced_sampling': True,
            'sampling': balance, 'mask_conditioning': bank.config() if bank is not None else 'v1: fixed per image'}
    save_diffusion(out_dir, sd_u, sd_t, meta)
    return unet, text, meta


def save_diffusion(out_dir, sd_u, sd_t, meta):
    """text_encoder.npz, unet_a.npz, unet_b.npz from rounded state dicts."""
    os.makedirs(out_dir, exist_ok=True)
    save_npz(os.path.join(out_dir, 'text_encoder.npz'), {'text_encoder': sd_t}, meta)
    # Two files, split by bytes: the device tool brings back files of at most 16 MiB.
    keys, total, acc, cut = list(sd_u), sum(v.nbytes for v in sd_u.values()), 0, 0
    while cut < len(keys) and acc + sd_u[keys[cut]].nbytes <= total / 2:
        acc += sd_u[keys[cut]].nbytes
        cut += 1
    save_npz(os.path.join(out_dir, 'unet_a.npz'), {'unet': {k: sd_u[k] for k in keys[:cut]}}, meta)
    save_npz(os.path.join(out_dir, 'unet_b.npz'), {'unet': {k: sd_u[k] for k in keys[cut:]}}, meta)


# ---------------------------------------------------------------- generation metrics

@torch.no_grad()
def ddim_sample(unet, text, dec, ids, mask_cond, noise, steps, guidance, scaling, ac, uncond_mask=True, negative_ids=None):
    """The reference sampler: DDIM eta 0, timesteps round(linspace(999, 0, steps)), final
    alpha 1, classifier-free guidance with the all-[PAD] prompt (or negative_ids, a
    negative prompt's ids shaped like ids), batched cond+uncond.
    uncond_mask False: the unconditional pass also drops the mask (no-mask state), so
    guidance strengthens the mask as well as the prompt."""
    ts = np.round(np.linspace(999, 0, steps)).astype(np.int64)
    cond, uncond = text(ids), text(torch.zeros_like(ids) if negative_ids is None else negative_ids)
    ctx = torch.cat([cond, uncond])
    mc2 = torch.cat([mask_cond, mask_cond if uncond_mask else torch.zeros_like(mask_cond)])
    x = noise
    for i, t in enumerate(ts):
        tt = torch.full((2 * x.shape[0],), float(t), device=x.device)
        with autocast(x.device):
            eps_c, eps_u = unet(torch.cat([x, x]), tt, ctx, mc2).float().chunk(2)
        eps = eps_u + guidance * (eps_c - eps_u)
        a_t = ac[t]
        a_prev = ac[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0, device=x.device)
        x0 = (x - (1 - a_t).sqrt() * eps) / a_t.sqrt()
        x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
    with autocast(x.device):
        img = dec(x / scaling).float()
    return ((img + 1) / 2).clamp(0, 1)


def fid(a, b):
    """Frechet distance between feature sets; covariance square root by scipy.linalg.sqrtm."""
    from scipy import linalg
    a, b = a.double().cpu().numpy(), b.double().cpu().numpy()
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = linalg.sqrtm(s1 @ s2)
    covmean = (covmean[0] if isinstance(covmean, tuple) else covmean).real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def ms_ssim_mean(imgs):
    """Mean MS-SSIM over all pairs of a set of [n,1,256,256] images (torchmetrics)."""
    from torchmetrics.functional.image import multiscale_structural_similarity_index_measure as msssim
    n = imgs.shape[0]
    ii, jj = np.triu_indices(n, 1)
    vals = msssim(imgs[ii], imgs[jj], data_range=1.0, reduction='none')
    return float(vals.mean())


@torch.no_grad()
def generation_metrics(data, unet, text, dec, scaling, vocab, seg, cls, steps_list, guidance_list, n_per, budget):
    dev = data.device
    ac = alphas_cumprod(dev)
    end = time.time() + budget
    results = {}
    test_feats = predict(cls, data, data.idx('test'))[1]
    train_idx = data.idx('train')
    rng = np.random.default_rng(5)
    results['fid_real_train_vs_test'] = round(fid(predict(cls, data, rng.choice(train_idx, min(len(train_idx), 4 * n_per), replace=False))[1], test_feats), 3)
    tokens = prompt_variants(data.records, vocab)
    for steps in steps_list:
        for g in guidance_list:
            if time.time() > end:
                log('generation metrics: budget spent, skipping', steps, g)
                continue
            key = f'steps{steps}_g{g}'
            try:
                results[key] = generation_metrics_one(data, unet, text, dec, scaling, vocab, seg, cls, steps, g, n_per,
                                                      tokens, test_feats, rng, ac)
                log('generation', key, json.dumps(results[key]))
            except Exception as e:  # keep the configurations already measured
                import traceback
                log('generation', key, 'FAILED', repr(e), traceback.format_exc())
                results[key] = {'error': repr(e)}
    return results


@torch.no_grad()
def generation_metrics_one(data, unet, text, dec, scaling, vocab, seg, cls, steps, g, n_per, tokens, test_feats, rng, ac):
    dev = data.device
    res = {}
    gen = torch.Generator(device='cpu').manual_seed(1234)
    # prompt adherence: the class prompt, no mask
    adherence, imgs_by_class = {}, {}
    for c, name in enumerate(CLASSES):
        ids = torch.as_tensor([encode(CLASS_PROMPTS[name], vocab)] * n_per, device=dev)
        noise = torch.randn(n_per, 4, 32, 32, generator=gen).to(dev)
        img = ddim_sample(unet, text, dec, ids, torch.zeros(n_per, 5, 32, 32, device=dev), noise, steps, g, scaling, ac)
        with autocast(dev):
            logits, _ = cls(img)
        adherence[name] = round(float((logits.float().argmax(1) == c).float().mean()), 4)
        imgs_by_class[name] = img
    res['prompt_adherence_class_prompts'] = adherence
    res['prompt_adherence_min'] = min(adherence.values())
    # prompt adherence and FID with the test set's own prompts and masks
    test_idx = data.idx('test')
    pick = np.concatenate([rng.choice(test_idx[data.cls[test_idx] == c], min(n_per, int((data.cls[test_idx] == c).sum())), replace=False) for c in range(4)])
    ids = torch.as_tensor(tokens[pick, 7], device=dev)
    mc = build_mask_cond_for(data, pick)
    feats, agree = [], []
    for i in range(0, len(pick), 64):
        noise = torch.randn(len(pick[i:i + 64]), 4, 32, 32, generator=gen).to(dev)
        img = ddim_sample(unet, text, dec, ids[i:i + 64], mc[i:i + 64], noise, steps, g, scaling, ac)
        with autocast(dev):
            logits, f = cls(img)
        feats.append(f.float())
        agree.append((logits.float().argmax(1).cpu().numpy() == data.cls[pick[i:i + 64]]))
    agree = np.concatenate(agree)
    res['prompt_adherence_test_prompts'] = {name: round(float(agree[data.cls[pick] == c].mean()), 4) for c, name in enumerate(CLASSES)}
    res['fid_generated_vs_test'] = round(fid(torch.cat(feats), test_feats), 3)
    res['fid_n'] = {'generated': len(pick), 'test': len(test_feats)}
    # mask adherence: condition on test lung masks, segment the result
    md = {}
    for folder in ('shenzhen_tb_lungseg', 'ieee8023_covid_lungseg'):
        idx = np.asarray([i for i in data.idx('test', with_lung=True) if data.folder[i] == folder])[:n_per]
        ch = CONVENTION_CHANNEL[data.convention[idx[0]]]
        ids_f = torch.as_tensor(tokens[idx, 7], device=dev)
        noise = torch.randn(len(idx), 4, 32, 32, generator=gen).to(dev)
        target = data.lung_masks(idx)[:, 0]
        img = ddim_sample(unet, text, dec, ids_f, build_mask_cond_for(data, idx), noise, steps, g, scaling, ac)
        img_nomask = ddim_sample(unet, text, dec, ids_f, torch.zeros(len(idx), 5, 32, 32, device=dev), noise, steps, g, scaling, ac)
        with autocast(dev):
            d_gen = dice((seg(img).float()[:, ch] > 0).float(), target).mean().item()
            d_nomask = dice((seg(img_nomask).float()[:, ch] > 0).float(), target).mean().item()
            d_real = dice((seg(data.images01(idx)).float()[:, ch] > 0).float(), target).mean().item()
        md[folder] = {'generated': round(d_gen, 4), 'same_seed_no_mask': round(d_nomask, 4), 'real_images': round(d_real, 4), 'n': len(idx)}
    res['mask_adherence'] = md
    res['mask_adherence_mean'] = round(float(np.mean([v['generated'] for v in md.values()])), 4)
    try:
        res['ms_ssim_generated_class_prompt'] = {k: round(ms_ssim_mean(v[:16]), 4) for k, v in imgs_by_class.items()}
        res['ms_ssim_real_test'] = {name: round(ms_ssim_mean(data.images01(rng.choice(test_idx[data.cls[test_idx] == c], 16, replace=False))), 4)
                                    for c, name in enumerate(CLASSES) if (data.cls[test_idx] == c).sum() >= 16}
    except Exception as e:  # torchmetrics is optional: the rest of the metrics stand
        res['ms_ssim'] = f'not measured: {e!r}'
    return res


def build_mask_cond_for(data, idx):
    """mask_cond from ground-truth masks only (what a user would give), for evaluation."""
    idx = np.asarray(idx)
    n = len(idx)
    out = torch.zeros(n, 5, 32, 32, device=data.device)
    has = data.lung_index[idx] >= 0
    if has.any():
        rows = torch.as_tensor(np.nonzero(has)[0], device=data.device)
        m = data.lung[torch.as_tensor(data.lung_index[idx][has], device=data.device)].float()[:, None]
        out[rows, 0:1] = F.avg_pool2d(m, 8)
        out[rows, 1] = 1.0
        out[rows, 2] = torch.as_tensor(data.convention[idx][has] == 'shenzhen', device=data.device, dtype=torch.float32)[:, None, None]
    return out


# ---------------------------------------------------------------- main

def mask_options(args):
    return {'flag': args.mask_flag, 'p_given': args.p_given, 'p_pseudo_shenzhen': args.p_pseudo_shenzhen}


def read_npz(path, prefix):
    z = np.load(path)
    return {k.split('/', 1)[1]: z[k] for k in z.files if k.startswith(prefix + '/')}, json.loads(bytes(z['__meta__']).decode())


def continue_diffusion(args, dev, bs):
    """A second, shorter GPU session: more diffusion steps from an earlier run's weights."""
    global LOG
    LOG = os.path.join(args.out, 'log.txt')
    src = args.continue_from
    log(f'torch {torch.__version__} on {torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu"}; continuing {src}')
    data = Data(args.pack, dev, args.workers, per_group=12 if args.smoke else 0)
    enc_sd, ae_meta = read_npz(os.path.join(src, 'autoencoder_encoder.npz'), 'encoder')
    enc = load_rounded(Encoder().to(dev), enc_sd).eval()
    latents = encode_all(enc, data) * ae_meta['scaling_factor']
    text_sd, te_meta = read_npz(os.path.join(src, 'text_encoder.npz'), 'text_encoder')
    vocab = te_meta['vocab']
    assert set(build_vocab(data.records)) <= set(vocab), 'the pack has words the run being continued never saw'
    unet_sd = {**read_npz(os.path.join(src, 'unet_a.npz'), 'unet')[0], **read_npz(os.path.join(src, 'unet_b.npz'), 'unet')[0]}
    mask_cond = build_mask_cond(data, pseudo_lungs(data, os.path.join(src, 'segmenter.npz')), **mask_options(args))
    _, _, meta = train_diffusion(data, latents, mask_cond, vocab, args.unet_seconds, bs['unet'], args.out,
                                 init={'unet': unet_sd, 'text_encoder': text_sd}, lr=1.5e-4)
    meta['previous_steps'] = te_meta['steps']
    with open(os.path.join(args.out, 'metrics.json'), 'w') as f:
        json.dump({k: v for k, v in meta.items() if k != 'vocab'}, f, indent=1)
    log('done')


def main():
    global LOG
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--pack', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--stage', default='main', choices=['main', 'analysis'])
    ap.add_argument('--recipe', default='robust', choices=sorted(RECIPES),
                    help='segmenter and classifier recipe (RECIPES; loso.py compares them)')
    ap.add_argument('--smoke', action='store_true', help='CPU preset: seconds per stage, tiny batches')
    ap.add_argument('--seg-size', type=int, default=256, choices=SEG_SIZES,
                    help='px the segmenter runs at inside its 256 px I/O (128: trained on 2x2-averaged images and masks; '
                         'issue 18)')
    ap.add_argument('--seg-seconds', type=float, default=60)
    ap.add_argument('--cls-seconds', type=float, default=90)
    ap.add_argument('--vae-seconds', type=float, default=100)
    ap.add_argument('--unet-seconds', type=float, default=250)
    ap.add_argument('--eval-seconds', type=float, default=70)
    ap.add_argument('--deadline', type=float, default=540, help='seconds after start by which all must be saved')
    ap.add_argument('--workers', type=int, default=min(16, os.cpu_count() or 1))
    ap.add_argument('--continue-from', help='a folder with segmenter.npz, autoencoder_encoder.npz, text_encoder.npz, '
                                            'unet_a.npz and unet_b.npz: train the diffusion model further, nothing else')
    ap.add_argument('--mask-flag', choices=FLAG_MODES, default='random',
                    help='the UNet\'s convention flag in training (mask_conditioning.py); v1 had it = Shenzhen source')
    ap.add_argument('--p-given', type=float, default=0.25, help='share of samples conditioned on an image\'s own lung mask')
    ap.add_argument('--p-pseudo-shenzhen', type=float, default=0.25, help='share on the segmenter\'s Shenzhen channel')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    dev = torch.device('cuda' if torch.cuda.is_available() and not args.smoke else 'cpu')
    if dev.type == 'cuda':
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(0)
    if args.smoke:
        bs = dict(seg=4, cls=8, vae=4, unet=16, n_per=4)
        steps_list, guidance_list = [2], [3.0]
    else:
        bs = dict(seg=32, cls=64, vae=32, unet=256, n_per=48)
        steps_list, guidance_list = [25], [3.0, 5.0, 7.5]

    if args.continue_from:
        continue_diffusion(args, dev, bs)
        return
    if args.stage == 'analysis':
        LOG = os.path.join(args.out, 'analysis.log')
        data = Data(args.pack, dev, args.workers, per_group=12 if args.smoke else 0)
        log(f'analysis stage on {dev}: {len(data.records)} images')
        train_segmenter(data, args.seg_seconds, bs['seg'], args.out, args.recipe, size=args.seg_size)
        train_classifier(data, args.cls_seconds, bs['cls'], args.out, args.recipe)
        return

    LOG = os.path.join(args.out, 'log.txt')
    gpu = torch.cuda.get_device_name(0) if dev.type == 'cuda' else 'cpu'
    log(f'torch {torch.__version__} on {gpu}; args {vars(args)}')
    work = os.path.join(args.out, 'analysis') if args.smoke else '/tmp/cxr-analysis'
    os.makedirs(work, exist_ok=True)
    child = subprocess.Popen([sys.executable, '-m', __spec__.name, '--stage', 'analysis', '--pack', args.pack,
                              '--out', work, '--seg-seconds', str(args.seg_seconds), '--cls-seconds', str(args.cls_seconds),
                              '--recipe', args.recipe, '--seg-size', str(args.seg_size),
                              '--workers', str(max(1, args.workers // 2))] + (['--smoke'] if args.smoke else []))
    metrics = {'device': gpu, 'torch': torch.__version__, 'args': vars(args), 'batch': bs}
    try:
        data = Data(args.pack, dev, args.workers, per_group=12 if args.smoke else 0)
        log(f'{len(data.records)} images loaded')
        vocab = build_vocab(data.records)
        enc, dec, latents, scaling, ae_meta = train_autoencoder(data, args.vae_seconds, bs['vae'], args.out)
        metrics['autoencoder'] = ae_meta
        seg_path = os.path.join(work, 'segmenter.npz')
        pseudo = None
        if wait_for(seg_path, 120 if not args.smoke else 600):
            pseudo = pseudo_lungs(data, seg_path)
            log(f'pseudo lung masks for {len(pseudo[0])} images')
        mask_cond = build_mask_cond(data, pseudo, **mask_options(args))
        latents = latents * scaling
        remaining = args.deadline - (time.time() - T0) - args.eval_seconds - 15
        unet_seconds = max(10.0, min(args.unet_seconds, remaining))
        log(f'diffusion budget {unet_seconds:.0f}s')
        unet, text, diff_meta = train_diffusion(data, latents, mask_cond, vocab, unet_seconds, bs['unet'], args.out)
        metrics['diffusion'] = {k: v for k, v in diff_meta.items() if k != 'vocab'}
        child.wait(timeout=max(5.0, args.deadline - (time.time() - T0)))
        seg = load_segmenter(seg_path, dev)
        z = np.load(os.path.join(work, 'classifier.npz'))
        cls_kwargs = json.loads(bytes(z['__meta__']).decode()).get('kwargs', {})
        cls = load_rounded(Classifier(**cls_kwargs).to(dev), {k.split('/', 1)[1]: z[k] for k in z.files if k.startswith('classifier/')}).eval()
        eval_budget = max(5.0, args.deadline - (time.time() - T0) - 10)
        metrics['generation'] = generation_metrics(data, unet, text, dec, scaling, vocab, seg, cls, steps_list, guidance_list,
                                                   bs['n_per'], eval_budget)
    except Exception as e:
        import traceback
        log('FAILED', repr(e), traceback.format_exc())
        metrics['error'] = repr(e)
    finally:
        try:
            child.wait(timeout=max(1.0, args.deadline + 30 - (time.time() - T0)))
        except subprocess.TimeoutExpired:
            log('analysis process overran the deadline: killed')
            child.kill()
        for name in ('segmenter.npz', 'classifier.npz'):
            src = os.path.join(work, name)
            if os.path.exists(src):
                os.replace(src, os.path.join(args.out, name))
                z = np.load(os.path.join(args.out, name))
                metrics[name[:-4]] = json.loads(bytes(z['__meta__']).decode())
        alog = os.path.join(work, 'analysis.log')
        if os.path.exists(alog):
            with open(alog) as f, open(LOG, 'a') as g:
                g.write('\n--- analysis process ---\n' + f.read())
        metrics['wall_seconds'] = round(time.time() - T0, 1)
        with open(os.path.join(args.out, 'metrics.json'), 'w') as f:
            json.dump(metrics, f, indent=1)
        log('done; metrics.json written')


if __name__ == '__main__':
    main()
