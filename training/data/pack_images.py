"""Pack the images train_decoder.py needs, small enough to travel to the device beside
the tree (the device tool carries 64 MiB in all): the train split as JPEG (quality 85: 30.4 MiB; 92 would be 41 MiB),
and the test split for the measurements with its class, from ../shared/data/cxr256.

    /usr/bin/python3 -m training.data.pack_images            # -> .gpu/images.npz, prints its size

With the shipped bundle in the tree (~50 MiB) this does not fit; for the decoder run,
move public/models/cxr-studio-v1/unet.onnx (24 MiB, not needed there) out of the working
tree for that one call and put it back after (see training/README.md).
"""
import argparse
import io
import os
import sys

import numpy as np
from PIL import Image

from training.data.cxrdata import read_records  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def jpeg(path, quality):
    buffer = io.BytesIO()
    Image.open(path).convert('L').save(buffer, format='JPEG', quality=quality)
    return np.frombuffer(buffer.getvalue(), np.uint8)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--out', default=os.path.join(HERE, '..', '.gpu', 'images.npz'))
    ap.add_argument('--quality', type=int, default=85)
    args = ap.parse_args()
    records = read_records(args.data)
    train = [r for r in records if r['split'] == 'train' and not r['exclude_train']]
    test = [r for r in records if r['split'] == 'test']
    blobs = lambda rs: np.array([jpeg(os.path.join(args.data, r['folder'], r['file']), args.quality) for r in rs], dtype=object)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez(args.out, train_jpeg=blobs(train), test_jpeg=blobs(test), test_cls=np.array([r['cls'] for r in test]),
             test_folder=np.array([r['folder'] for r in test]))
    print(f'{args.out}: {len(train)} train, {len(test)} test images, {os.path.getsize(args.out) / 2**20:.1f} MiB')


if __name__ == '__main__':
    main()
