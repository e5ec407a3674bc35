"""Data for synthetic_gain.py: the real training and held-out test images packed small
enough for the device tool, the conditioning masks the generator pool needs, and the
Curate page's dataset export (reviews) read back.

Images are stored at 128x128 (box-downsampled from the 256x256 folders, JPEG quality 90)
and lung masks at 128x128 (bit-packed): the downstream models of the experiment train
at 128x128, which is what lets a full grid of cells fit a GPU session. Training records
come from the sources that are not held out (train split only, no image that is the same
picture as a held-out one); test records are every image of the held-out sources.
"""
import csv
import io
import json
import os
import sys
import zipfile

import numpy as np
from PIL import Image

from training.data.cxrdata import CLASSES, build_prompt, read_records  # noqa: E402

SIDE = 128
# The sources the shipped generator (cxr-studio-v1) never saw: the default held-out set.
GENERATOR_UNSEEN = ('hannover', 'tbx11k', 'jsrt')
CHANNEL = {'v7': 0, 'shenzhen': 1}  # SegUNet's output channel per mask convention


def _image128(path):
    return np.asarray(Image.open(path).convert('L').resize((SIDE, SIDE), Image.BOX), np.uint8)


def _mask128(path):
    m = np.asarray(Image.open(path).convert('L'), np.float32) / 255
    return (m.reshape(SIDE, 2, SIDE, 2).mean((1, 3)) >= 0.5).astype(np.uint8)


def jpeg_bytes(img, quality=90):
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format='JPEG', quality=quality)
    return buf.getvalue()


def pack_blobs(blobs):
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
    return np.frombuffer(b''.join(blobs), np.uint8), offsets


def unpack_images(data, offsets):
    return np.stack([np.asarray(Image.open(io.BytesIO(data[offsets[i]:offsets[i + 1]].tobytes())), np.uint8)
                     for i in range(len(offsets) - 1)]) if len(offsets) > 1 else np.zeros((0, SIDE, SIDE), np.uint8)


def _subset(recs, n, rng):
    """A seeded n of each folder's records, in their original order."""
    out = []
    for folder in sorted({r['folder'] for r in recs}):
        group = [r for r in recs if r['folder'] == folder]
        out += [group[i] for i in sorted(rng.permutation(len(group))[:n])]
    return out


def select(records, test_sources, limit_per_folder=0, seed=0):
    """(train records, test records): train = train split of the other sources, minus
    pictures that also sit in a held-out source; test = all of the held-out sources'.
    limit_per_folder > 0 keeps a seeded subset of each folder (the smoke preset)."""
    test_sources = set(test_sources)
    train = [r for r in records if r['source'] not in test_sources and r['split'] == 'train' and not r['exclude_train']
             and not set(r['dup_sources']) & test_sources]
    test = [r for r in records if r['source'] in test_sources and not set(r['dup_sources']) - test_sources]
    if limit_per_folder:
        rng = np.random.default_rng(seed)
        train, test = _subset(train, limit_per_folder, rng), _subset(test, limit_per_folder, rng)
    return train, test


def write_real_pack(data_dir, test_sources, out, limit_per_folder=0):
    """The real images, labels and masks of both roles in one .npz."""
    train, test = select(read_records(data_dir), test_sources, limit_per_folder)
    recs = train + test
    imgs = [_image128(os.path.join(data_dir, r['folder'], r['file'])) for r in recs]
    has_mask = np.array([bool(r['mask']) for r in recs])
    masks = np.stack([_mask128(os.path.join(data_dir, r['folder'], r['mask'])) for r in recs if r['mask']] or
                     [np.zeros((SIDE, SIDE), np.uint8)])
    data, offsets = pack_blobs([jpeg_bytes(i) for i in imgs])
    np.savez_compressed(out, jpeg=data, offsets=offsets, role=np.array(['train'] * len(train) + ['test'] * len(test)),
             cls=np.array([r['cls'] for r in recs], np.int8), source=np.array([r['source'] for r in recs]),
             folder=np.array([r['folder'] for r in recs]), stem=np.array([r['stem'] for r in recs]),
             has_mask=has_mask, mask_index=np.where(has_mask, np.cumsum(has_mask) - 1, -1),
             convention=np.array([r['convention'] or '' for r in recs]), prompt=np.array([build_prompt(r) for r in recs]),
             masks=np.packbits(masks.astype(bool), axis=2),
             meta=json.dumps({'side': SIDE, 'test_sources': sorted(test_sources), 'limit_per_folder': limit_per_folder}))
    return len(train), len(test)


def write_cond_pack(real_pack, out):
    """What the generator pool needs and nothing else (it travels beside the bundle):
    the training records' lung masks, conventions and prompts."""
    z = np.load(real_pack)
    keep = (z['role'] == 'train') & z['has_mask']
    np.savez_compressed(out, masks=z['masks'][z['mask_index'][keep]], convention=z['convention'][keep],
                        prompt=z['prompt'][keep], cls=z['cls'][keep], source=z['source'][keep], meta=z['meta'])


class Real:
    """The real pack in memory: uint8 images [n,128,128] and 0/1 masks, by role."""

    def __init__(self, path):
        z = np.load(path)
        self.meta = json.loads(str(z['meta']))
        self.images = unpack_images(z['jpeg'], z['offsets'])
        self.role, self.cls, self.source = z['role'], z['cls'].astype(np.int64), z['source']
        self.has_mask, self.convention = z['has_mask'], z['convention']
        all_masks = np.unpackbits(z['masks'], axis=2)[:, :, :SIDE]
        self.masks = np.zeros((len(self.role), SIDE, SIDE), np.uint8)
        self.masks[self.has_mask] = all_masks[z['mask_index'][self.has_mask]]

    def idx(self, role, task):
        """Indices usable for a task: classification needs one of CLASSES; segmentation a
        mask (test: the Shenzhen-convention masks, SCR/JSRT's by default)."""
        ok = self.role == role
        if task == 'cls':
            return np.nonzero(ok & (self.cls >= 0))[0]
        ok &= self.has_mask
        return np.nonzero(ok & (self.convention == 'shenzhen') if role == 'test' else ok)[0]


def read_reviewed_export(path):
    """The Curate page's dataset export (datasetExport.ts: a zip, or the folder it unzips
    to): images, masks and labels.csv with the latest review of each image. Returns the
    accepted images as {'images': uint8 [n,128,128], 'cls': int (-1: no finding class),
    'masks': 0/1 or None per image, 'convention': str, 'realism': float (nan: none)}."""
    if path.endswith('.json'):
        with open(path) as f:
            fmt = json.load(f).get('format')
        raise SystemExit(f'--reviews {path}: a {fmt!r} file holds ratings but no images; pass the dataset zip the '
                         'Curate page exports ("Export dataset"): its labels.csv and provenance hold the reviews')
    if zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        read = zf.read
    elif os.path.isdir(path):
        read = lambda name: open(os.path.join(path, name), 'rb').read()
    else:
        raise SystemExit(f'--reviews {path}: expected the Curate dataset zip or its unzipped folder')
    try:
        rows = list(csv.DictReader(io.StringIO(read('labels.csv').decode())))
    except KeyError:
        raise SystemExit(f'--reviews {path}: no labels.csv (not a Curate dataset export)')
    missing = {'image', 'mask', 'label', 'mask_convention', 'review_decision', 'review_realism'} - set(rows[0] if rows else {})
    if missing:
        raise SystemExit(f'--reviews {path}: labels.csv lacks columns {sorted(missing)}')
    out = {'images': [], 'cls': [], 'masks': [], 'convention': [], 'realism': []}
    for row in rows:
        if row['review_decision'] != 'accept':
            continue
        img = Image.open(io.BytesIO(read(row['image']))).convert('L')
        out['images'].append(np.asarray(img.resize((SIDE, SIDE), Image.BOX), np.uint8))
        out['cls'].append(CLASSES.index(row['label']) if row['label'] in CLASSES else -1)
        if row['mask']:
            m = np.asarray(Image.open(io.BytesIO(read(row['mask']))).convert('L').resize((SIDE, SIDE), Image.BOX), np.float32)
            out['masks'].append((m >= 127.5).astype(np.uint8))
        else:
            out['masks'].append(None)
        out['convention'].append(row['mask_convention'])
        out['realism'].append(float(row['review_realism']) if row['review_realism'] else float('nan'))
    out['images'] = np.stack(out['images']) if out['images'] else np.zeros((0, SIDE, SIDE), np.uint8)
    out['cls'] = np.array(out['cls'], np.int64)
    out['accepted'], out['rows'] = len(out['cls']), len(rows)
    return out
