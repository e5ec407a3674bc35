"""Pack what training the diffusion model needs, small enough to travel beside the
shipped bundle (the device tool carries 64 MiB in all and the bundle is ~50 MiB).

Instead of images (45 MiB even as JPEG), it packs what train_diffusion consumes: the
train images' latents from the shipped VAE encoder (int8, one scale per image and
channel: a rounding error under 1% of a latent's range, far below the noise the model
learns to remove), their pooled lung masks (ground truth where given, and the shipped
segmenter's two channels on every image: mask_conditioning.py draws among them), lesion
masks, each image's source, prompt token ids, and for the measurements the test split's
prompts, lung masks (plus pseudo-masks of a few test images of each mask-less source,
for cross-source adherence) and the shipped classifier's features and logits on the real
test images.

    /usr/bin/python3 -m training.models.bundle_weights map            # -> .gpu/weight_map.json
    /work/venv-ort/bin/python -m training.data.pack_latents         # -> .gpu/latents.npz (onnxruntime for the segmenter)
Then continue_gpu.py runs on the device (see training/README.md).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from training.models import bundle_weights  # noqa: E402
from training.data.cxrdata import read_records  # noqa: E402
from training.models.networks import Encoder  # noqa: E402
from training.train.train_all import prompt_variants  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(HERE, '..')


def png01(path):
    return np.asarray(Image.open(path).convert('L'), np.float32) / 255.0


def pooled(mask):
    """[256,256] bool -> [32,32] uint8: the fraction of each 8x8 cell that is on, x 255."""
    return np.round(mask.reshape(32, 8, 32, 8).mean((1, 3)) * 255).astype(np.uint8)


def segmenter(path):
    """images [n,256,256] in [0,1] -> lungs [n,2,256,256] bool (V7, Shenzhen channel), on onnxruntime."""
    import onnxruntime as ort
    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    return lambda img: sess.run(['logits'], {'image': img[:, None].astype(np.float32)})[0] > 0


def node_outputs(mode, model, paths, tmp, width, dtype):
    lst, out = os.path.join(tmp, f'{mode}.txt'), os.path.join(tmp, f'{mode}.bin')
    with open(lst, 'w') as f:
        f.write('\n'.join(paths) + '\n')
    subprocess.run(['node', os.path.join(HERE, 'data', 'onnx_outputs.mjs'), mode, model, lst, out], check=True, cwd=ROOT)
    return np.fromfile(out, dtype).reshape(len(paths), width)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(ROOT, '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--map', default=os.path.join(ROOT, '.gpu', 'weight_map.json'))
    ap.add_argument('--out', default=os.path.join(ROOT, '.gpu', 'latents.npz'))
    ap.add_argument('--cross-per-source', type=int, default=48, help='test images per mask-less source given pseudo-masks')
    ap.add_argument('--max-per-group', type=int, default=0,
                    help='at most this many train images per (source, class), seeded (0: all): to fit the device tool')
    ap.add_argument('--max-test-per-folder', type=int, default=0, help='smoke packs: at most this many test images per folder')
    args = ap.parse_args()
    tmp = os.path.join(os.path.dirname(os.path.abspath(args.out)), 'tmp')
    os.makedirs(tmp, exist_ok=True)
    manifest = json.load(open(os.path.join(args.bundle, 'manifest.json')))
    vocab = json.load(open(os.path.join(args.bundle, 'tokenizer.json')))['model']['vocab']
    scaling = manifest['diffusion']['scaling_factor']
    records = read_records(args.data)
    path = lambda r, rel: os.path.join(args.data, r['folder'], rel)
    train = [r for r in records if r['split'] == 'train' and not r['exclude_train'] and r['cls'] >= 0]
    if args.max_per_group:
        rng, kept = np.random.default_rng(0), []
        for g in sorted({(r['source'], r['cls']) for r in train}):
            members = [r for r in train if (r['source'], r['cls']) == g]
            kept += [members[i] for i in sorted(rng.choice(len(members), min(len(members), args.max_per_group), replace=False))]
        train = kept
    test = [r for r in records if r['split'] == 'test']
    if args.max_test_per_folder:  # smoke packs only
        test = [r for f in sorted({r['folder'] for r in test}) for r in [r for r in test if r['folder'] == f][:args.max_test_per_folder]]
    print(f'{len(train)} train images, {len(test)} test images', flush=True)

    # mask conditioning of the train images: ground truth where given, and both segmenter channels on every image
    lung_gt = np.zeros((len(train), 32, 32), np.uint8)
    for i, r in enumerate(train):
        if r['mask']:
            lung_gt[i] = pooled(png01(path(r, r['mask'])) > 0.5)
    seg = segmenter(os.path.join(args.bundle, 'segmenter.onnx'))
    pseudo = np.zeros((len(train), 2, 32, 32), np.uint8)
    for i in range(0, len(train), 32):
        lungs = seg(np.stack([png01(path(r, r['file'])) for r in train[i:i + 32]]))
        pseudo[i:i + 32] = [[pooled(m[0]), pooled(m[1])] for m in lungs]
        if i % 640 == 0:
            print(f'pseudo-masks {i}/{len(train)}', flush=True)
    lesion = np.zeros((len(train), 32, 32), np.uint8)
    lesion_given = np.zeros(len(train), np.uint8)
    for i, r in enumerate(train):
        if r['lesion_masks']:
            acc = np.zeros((256, 256), bool)
            for rel in r['lesion_masks']:
                acc |= png01(os.path.join(args.data, r['lesion_folder'], rel)) > 0.5
            lesion[i], lesion_given[i] = pooled(acc), 1
    shenzhen = np.array([r['convention'] == 'shenzhen' for r in train], np.uint8)

    # latents of the train images, from the shipped encoder
    wm = json.load(open(args.map))['files']
    enc = bundle_weights.load(Encoder(), args.bundle, 'vae_encoder.onnx', wm).eval()
    lat = np.zeros((len(train), 4, 32, 32), np.float32)
    with torch.no_grad():
        for i in range(0, len(train), 32):
            x = torch.from_numpy(np.stack([png01(path(r, r['file'])) for r in train[i:i + 32]]))[:, None] * 2 - 1
            lat[i:i + 32] = enc(x)[0].numpy() * scaling
            if i % 640 == 0:
                print(f'latents {i}/{len(train)}', flush=True)
    scale = np.maximum(np.abs(lat).max((2, 3)), 1e-6) / 127.0  # [N,4]
    q = np.clip(np.round(lat / scale[:, :, None, None]), -127, 127).astype(np.int8)
    err = np.abs(q * scale[:, :, None, None] - lat).max()
    print(f'latent int8 rounding: max error {err:.4f} (latent std {lat.std():.3f})')

    # the test split: prompts, classes, lung masks (mask adherence) and real features (FID)
    feats = node_outputs('cls-features', os.path.join(args.bundle, 'classifier.onnx'),
                         [path(r, r['file']) for r in test], tmp, 260, np.float32)
    test_lung = np.zeros((len(test), 256, 32), np.uint8)
    for i, r in enumerate(test):
        if r['mask']:
            test_lung[i] = np.packbits(png01(path(r, r['mask'])) > 0.5, axis=1)

    # cross-source measurement: pseudo-masks (V7 channel) of the first test images of each mask-less source
    cross = [r for folder in sorted({r['folder'] for r in test if not r['mask']})
             for r in sorted((r for r in test if r['folder'] == folder), key=lambda r: r['file'])[:args.cross_per_source]]
    cross_lung = np.stack([np.packbits(seg(png01(path(r, r['file']))[None])[0, 0], axis=1) for r in cross])

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez_compressed(
        args.out,
        latents_q=q, latents_scale=scale.astype(np.float32), lung_gt=lung_gt,
        has_gt=np.array([bool(r['mask']) for r in train]), gt_shenzhen=shenzhen.astype(bool),
        pseudo_v7=pseudo[:, 0], pseudo_shenzhen=pseudo[:, 1], source=np.array([r['source'] for r in train]),
        lesion=lesion, lesion_given=lesion_given, cls=np.array([r['cls'] for r in train], np.int64),
        cross_lung=cross_lung, cross_folder=np.array([r['folder'] for r in cross]),
        tokens=prompt_variants(train, vocab).astype(np.int8),
        test_tokens=prompt_variants(test, vocab)[:, 7].astype(np.int8), test_cls=np.array([r['cls'] for r in test], np.int64),
        test_folder=np.array([r['folder'] for r in test]), test_convention=np.array([r['convention'] or '' for r in test]),
        test_has_lung=np.array([bool(r['mask']) for r in test]), test_lung=test_lung,
        test_logits=feats[:, :4], test_features=feats[:, 4:],
        vocab=np.frombuffer(json.dumps(vocab).encode(), np.uint8),
    )
    print(f'wrote {args.out} ({os.path.getsize(args.out) / 2**20:.1f} MiB)')


if __name__ == '__main__':
    main()
