"""The synthetic pool for synthetic_gain.py: images from the shipped generator
(cxr-studio-v1 read back into PyTorch by bundle_weights.py), each with the scores the
arms filter on.

Kinds: `class` (a class prompt, no mask: n per finding), `mask` (a training record's own
prompt and lung mask: n per mask source) and `variant` (the same record and noise with
the mask replaced by one of the studio's random variants, synthetic_variants.py).
Scores: the project's classifier p(prompted finding), its segmenter's Dice against the
conditioning mask (the convention's channel), and the same two from the independent
reference-v0 models (onnxruntime, continue_gpu.Judge). Sampling is what the studio does
by default: DDIM 20 steps, guidance 5, the unconditional pass without the mask.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from training.models import bundle_weights  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.train.continue_gpu import Judge  # noqa: E402
from training.data.cxrdata import CLASS_PROMPTS, CLASSES, encode  # noqa: E402
from training.models.networks import CondUNet, Decoder, TextEncoder  # noqa: E402
from training.experiments.synthetic_data import CHANNEL, SIDE, jpeg_bytes, pack_blobs  # noqa: E402
from training.experiments.synthetic_variants import random_variants, transform_mask  # noqa: E402


def _plan(cond, n_class, n_mask, seed):
    """One entry per image to make: kind, class, prompt, noise seed, record index, variant seed."""
    plan = []
    for c, name in enumerate(CLASSES):
        plan += [('class', c, CLASS_PROMPTS[name], seed + 100000 * c + i, -1, 0) for i in range(n_class)]
    rng = np.random.default_rng(seed)
    for source in sorted(set(cond['source'])):
        rows = np.nonzero(cond['source'] == source)[0]
        picks = np.concatenate([rng.permutation(rows) for _ in range(-(-n_mask // len(rows)))])[:n_mask]
        for r in picks:
            noise_seed = seed + 500000 + len(plan)
            plan.append(('mask', int(cond['cls'][r]), str(cond['prompt'][r]), noise_seed, int(r), 0))
            plan.append(('variant', int(cond['cls'][r]), str(cond['prompt'][r]), noise_seed, int(r), noise_seed))
    return plan


def _condition_mask(cond_masks, entry):
    """The 0/1 128x128 mask an entry is conditioned on (zeros for a class prompt)."""
    kind, _, _, _, r, variant_seed = entry
    if kind == 'class':
        return np.zeros((SIDE, SIDE), np.uint8)
    mask = cond_masks[r]
    if kind == 'mask':
        return mask
    big = np.kron(mask, np.ones((2, 2), np.uint8))  # the app transforms masks at the image's 256x256
    warped = transform_mask(big, random_variants(1, variant_seed)[0]).astype(np.float32)
    return (warped.reshape(SIDE, 2, SIDE, 2).mean((1, 3)) >= 0.5).astype(np.uint8)


def _scores(judge, img, entries, masks, conventions, reference):
    """p(prompted class) and Dice(segmenter, conditioning mask) for a batch of 256x256 images."""
    logits, _ = judge.classify(img)
    prob = torch.softmax(torch.from_numpy(logits).float(), 1).numpy()
    cls = np.array([e[1] for e in entries])
    p = np.where(cls >= 0, prob[np.arange(len(cls)), np.maximum(cls, 0)], np.nan)
    big = torch.from_numpy(np.kron(masks, np.ones((1, 2, 2), np.uint8)).astype(np.float32))
    dice = np.full(len(entries), np.nan)
    for conv in set(conventions) - {''}:
        sel = np.nonzero(np.array(conventions) == conv)[0]
        lungs = torch.from_numpy(judge.lungs(img[sel], 0 if reference else CHANNEL[conv]).astype(np.float32))
        dice[sel] = T.dice(lungs, big[sel]).numpy()
    return p, dice


@torch.no_grad()
def make_pool(bundle, weight_map, cond_path, reference, out, n_class, n_mask, steps=20, guidance=5.0, batch=64,
              seed=1, deadline=None, device='cpu', log=print):
    cond = dict(np.load(cond_path))
    cond_masks = np.unpackbits(cond['masks'], axis=2)[:, :, :SIDE]
    dev = torch.device(device)
    manifest = json.load(open(os.path.join(bundle, 'manifest.json')))
    vocab = json.load(open(os.path.join(bundle, 'tokenizer.json')))['model']['vocab']
    wm = json.load(open(weight_map))['files']
    unet = bundle_weights.load(CondUNet(mask_channels=5), bundle, 'unet.onnx', wm).to(dev).eval()
    text = bundle_weights.load(TextEncoder(len(vocab)), bundle, 'text_encoder.onnx', wm).to(dev).eval()
    dec = bundle_weights.load(Decoder(), bundle, 'vae_decoder.onnx', wm).to(dev).eval()
    judges = {'': Judge(bundle), 'ref_': Judge(reference)}
    scaling, ac = manifest['diffusion']['scaling_factor'], T.alphas_cumprod(dev)
    plan = _plan(cond, n_class, n_mask, seed)
    log(f'pool: {len(plan)} images to make ({n_class} per finding, {n_mask} per mask source x2 with variants), '
        f'{steps} DDIM steps, guidance {guidance}; judges on {judges[""].providers}')
    blobs, masks, scores = [], [], {k: [] for k in ('p_prompted', 'dice', 'ref_p_prompted', 'ref_dice')}
    for i in range(0, len(plan), batch):
        if deadline is not None and time.time() > deadline:
            log(f'pool: deadline, {len(blobs)} of {len(plan)} made')
            break
        entries = plan[i:i + batch]
        m = np.stack([_condition_mask(cond_masks, e) for e in entries])
        conv = ['' if e[0] == 'class' else str(cond['convention'][e[4]]) for e in entries]
        mc = torch.zeros(len(entries), 5, 32, 32)
        mc[:, 0] = F.avg_pool2d(torch.from_numpy(m).float()[:, None], SIDE // 32)[:, 0]
        mc[:, 1] = torch.tensor([float(c != '') for c in conv])[:, None, None]
        mc[:, 2] = torch.tensor([float(c == 'shenzhen') for c in conv])[:, None, None]
        noise = torch.stack([torch.randn(4, 32, 32, generator=torch.Generator().manual_seed(e[3])) for e in entries])
        ids = torch.as_tensor([encode(e[2], vocab) for e in entries], device=dev)
        img = T.ddim_sample(unet, text, dec, ids, mc.to(dev), noise.to(dev), steps, guidance, scaling, ac,
                            uncond_mask=False).float().cpu()
        for prefix, judge in judges.items():
            p, d = _scores(judge, img, entries, m, conv, reference=bool(prefix))
            scores[prefix + 'p_prompted'].append(p)
            scores[prefix + 'dice'].append(d)
        small = F.avg_pool2d(img, 256 // SIDE)[:, 0].mul(255).round().clamp(0, 255).byte().numpy()
        blobs += [jpeg_bytes(s) for s in small]
        masks.append(m)
        log(f'pool: {len(blobs)}/{len(plan)} images')
    made = plan[:len(blobs)]
    data, offsets = pack_blobs(blobs)
    fields = {
        'jpeg': data, 'offsets': offsets, 'kind': np.array([e[0] for e in made]), 'cls': np.array([e[1] for e in made], np.int8),
        'prompt': np.array([e[2] for e in made]), 'seed': np.array([e[3] for e in made], np.int64),
        'convention': np.array(['' if e[0] == 'class' else str(cond['convention'][e[4]]) for e in made]),
        'masks': np.packbits(np.concatenate(masks).astype(bool), axis=2) if masks else np.zeros((0, SIDE, SIDE // 8), np.uint8),
        **{k: np.concatenate(v) if v else np.zeros(0) for k, v in scores.items()},
        'meta': json.dumps({'bundle': manifest['id'], 'steps': steps, 'guidance': guidance, 'sampler': 'ddim',
                            'uncond_mask': 'none', 'seed': seed, 'n_class': n_class, 'n_mask': n_mask,
                            'judges': {'project': 'cxr-studio-v1 classifier + segmenter',
                                       'reference': os.path.basename(os.path.normpath(reference))},
                            'device': device, 'made': time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}),
    }
    np.savez_compressed(out, **fields)
    return len(blobs)
