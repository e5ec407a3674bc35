"""Pack ../shared/data/cxr256 into one compact file for the GPU machine.

The device tool carries at most 64 MiB, and the PNGs take 124 MB, so images travel as
JPEG (quality 85: 43 dB PSNR against the PNGs, measured on 200 images) and masks as
bit-packed rows inside a compressed npz. The pack is written to an ignored folder
(.pack/) and never committed: the data's terms forbid redistribution.

All eight folders (5,012 records, 1,243 lung masks) make 45.1 MiB at quality 85: more
than fits beside the ~52 MiB bundle, so gpu_stage.sh moves the bundle aside for the call.
Each record carries `source` and `dup_sources` (cxrdata.py) for leave-one-source-out runs.

Usage: python3 -m training.data.pack_data [--data ../shared/data/cxr256] [--out .pack/cxr256.npz]
"""
import argparse
import io
import json
import os

import numpy as np
from PIL import Image

from training.data.cxrdata import read_records


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument('--data', default=os.path.join(here, '..', '..', 'shared', 'data', 'cxr256'))
    ap.add_argument('--out', default=os.path.join(here, '..', '.pack', 'cxr256.npz'))
    ap.add_argument('--quality', type=int, default=85)
    args = ap.parse_args()

    records = read_records(args.data)
    blobs, offsets = [], [0]
    lung, lesion = [], []
    for r in records:
        im = Image.open(os.path.join(args.data, r['folder'], r['file'])).convert('L')
        assert im.size == (256, 256), (r['file'], im.size)
        buf = io.BytesIO()
        im.save(buf, 'JPEG', quality=args.quality)
        blobs.append(np.frombuffer(buf.getvalue(), np.uint8))
        offsets.append(offsets[-1] + buf.tell())
        if r['mask']:
            m = np.asarray(Image.open(os.path.join(args.data, r['folder'], r['mask'])).convert('L')) > 127
            r['lung_index'] = len(lung)
            lung.append(np.packbits(m, axis=1))
        else:
            r['lung_index'] = -1
        if r['lesion_masks']:
            acc = np.zeros((256, 256), bool)
            for rel in r['lesion_masks']:
                acc |= np.asarray(Image.open(os.path.join(args.data, r['lesion_folder'], rel)).convert('L')) > 127
            r['lesion_index'] = len(lesion)
            lesion.append(np.packbits(acc, axis=1))
        else:
            r['lesion_index'] = -1
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez_compressed(
        args.out,
        jpeg=np.concatenate(blobs), offsets=np.asarray(offsets, np.int64),
        lung=np.stack(lung), lesion=np.stack(lesion) if lesion else np.zeros((0, 256, 32), np.uint8),
        records=np.frombuffer(json.dumps(records).encode(), np.uint8),
    )
    print(f'{len(records)} images, {len(lung)} lung masks, {len(lesion)} lesion masks -> '
          f'{args.out} ({os.path.getsize(args.out) / 2**20:.1f} MiB)')


if __name__ == '__main__':
    main()
