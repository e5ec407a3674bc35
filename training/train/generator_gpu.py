"""Train the generator whose mask carries anatomy, not source (issue 17, items 4-5), on
the device, and choose its checkpoint by BOTH judges.

From a latents pack (pack_latents.py: the shipped encoder's latents of every source,
ground-truth and segmenter lung masks, sources) and the bundle on the tree: the UNet and
text encoder start from the bundle (or from scratch, --init scratch) and train with
mask_conditioning.py's rule (every image's lung mask drawn from the same kinds whatever
its source, the convention flag random) and finding x source balanced sampling.

Selection (cross_source_adherence.checkpoint_score): at each checkpoint and at the end,
every finding's class prompt is sampled with no mask and with test masks of every mask
source (shenzhen, ieee8023, jsrt; pseudo-masks of mask-less sources), the same noise in
every cell, and judged by the project's classifier/segmenter (the bundle's) AND the
independent reference-v0 ones (--reference, carried). A checkpoint's score is the worst
finding over the mask-crossed cells by the worse judge; it must also keep mask Dice >=
0.93 by both judges and text-only adherence within 0.03 of the shipped generator's by
both. The best eligible checkpoint is saved in OUT/selected, the last in OUT/last.

    python3 -m training.train.generator_gpu --pack .gpu/latents.npz --map .gpu/weight_map.json \
        --reference .gpu/reference --out $OUT --deadline 540
CPU smoke (minutes): /work/venv-ort/bin/python -m training.train.generator_gpu --smoke ... --out /tmp/gg
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from training.models import bundle_weights  # noqa: E402
from training.evaluate import cross_source_adherence as X  # noqa: E402
from training.train import train_all as T  # noqa: E402
from training.train.continue_gpu import Pack  # noqa: E402
from training.data.mask_conditioning import FLAG_MODES  # noqa: E402
from training.models.networks import CondUNet, Decoder, TextEncoder, count_params  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', default=bundle_weights.BUNDLE)
    ap.add_argument('--map', required=True)
    ap.add_argument('--pack', required=True)
    ap.add_argument('--reference', required=True, help='a folder with reference-v0 classifier.onnx and segmenter.onnx')
    ap.add_argument('--out', required=True)
    ap.add_argument('--init', choices=['bundle', 'scratch'], default='bundle')
    ap.add_argument('--mask-flag', choices=FLAG_MODES, default='random')
    ap.add_argument('--p-given', type=float, default=0.25)
    ap.add_argument('--p-pseudo-shenzhen', type=float, default=0.25)
    ap.add_argument('--lr', type=float, default=None, help='default 1e-4 from the bundle, 3e-4 from scratch')
    ap.add_argument('--joint-drop', type=float, default=0.1)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--checkpoints', default='0.5,0.75', help='fractions of the training budget measured besides the end')
    ap.add_argument('--n-per', type=int, default=16, help='images per cell of the cross-source measurement')
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--guidance', type=float, default=5.0)
    ap.add_argument('--deadline', type=float, default=540, help='seconds after start by which everything is saved')
    ap.add_argument('--smoke', action='store_true', help='CPU: seconds of training, 2 images per cell, 2 steps')
    args = ap.parse_args()
    dev = T.start_run(args.out, args.smoke, vars(args))
    n_per, steps = (2, 2) if args.smoke else (args.n_per, args.steps)
    scaling = json.load(open(os.path.join(args.bundle, 'manifest.json')))['diffusion']['scaling_factor']
    wm = json.load(open(args.map))['files']
    pack = Pack(args.pack, dev)
    assert pack.bank is not None, 'the pack predates issue 17 (no pseudo_v7): re-run pack_latents.py'
    bank = pack.bank(flag=args.mask_flag, p_given=args.p_given, p_pseudo_shenzhen=args.p_pseudo_shenzhen)
    shipped_unet = bundle_weights.load(CondUNet(mask_channels=5), args.bundle, 'unet.onnx', wm).to(dev).eval()
    shipped_text = bundle_weights.load(TextEncoder(len(pack.vocab)), args.bundle, 'text_encoder.onnx', wm).to(dev).eval()
    dec = bundle_weights.load(Decoder(), args.bundle, 'vae_decoder.onnx', wm).to(dev).eval()
    judges = [X.Judge(args.bundle, 0, 'project'), X.Judge(args.reference, 0, 'reference_v0')]
    conditions = X.conditions_from_pack(pack, n_per)
    findings = X.CLASSES
    if args.smoke:  # the path, not the numbers: two findings, no mask and one crossed source
        conditions = {k: v for k, v in conditions.items() if k in ('none', 'shenzhen')}
        findings = ['covid19', 'tuberculosis']
    T.log(f'{len(pack.cls)} train latents; cross-source conditions {[(k, 0 if v[1] is None else len(v[1])) for k, v in conditions.items()]}')
    metrics = {'device': str(dev), 'args': vars(args), 'mask_conditioning': bank.config(), 'checkpoints': {}}
    save = lambda: json.dump(metrics, open(os.path.join(args.out, 'metrics.json'), 'w'), indent=1)

    def cross(unet, text):
        t = time.time()
        cells = X.measure_cells(unet, text, dec, scaling, pack.vocab, conditions, judges, n_per, steps, args.guidance, 7, dev,
                                findings=findings)
        return {'summary': X.summarize(cells, [j.name for j in judges]), 'cells': cells, 'seconds': round(time.time() - t, 1)}

    metrics['shipped'] = cross(shipped_unet, shipped_text)
    baseline = metrics['shipped']['summary']
    T.log('shipped', json.dumps(baseline))
    save()
    best = {'score': -1.0}

    def on_checkpoint(step, unet, text, final=False):
        res = cross(unet, text)
        res['selection'] = X.checkpoint_score(res['summary'], baseline)
        metrics['checkpoints'][str(step) + (' (end)' if final else '')] = res
        T.log(f'checkpoint {step}', json.dumps(res['summary']), json.dumps(res['selection']))
        if res['selection']['eligible'] and res['selection']['score'] > best['score']:
            best.update(score=res['selection']['score'], step=step)
            # the meta export_onnx.py --only diffusion reads (train_diffusion's keys)
            meta = {'unet': {'class': 'CondUNet', 'params': count_params(unet), 'mask_channels': T.MASK_CHANNELS},
                    'text_encoder': {'class': 'TextEncoder', 'params': count_params(text), 'vocab_size': len(pack.vocab)},
                    'vocab': pack.vocab, 'steps': step, 'selected_by': res['selection'], 'init': args.init,
                    'mask_conditioning': bank.config(), 'lr': lr, 'batch': args.batch}
            T.save_diffusion(os.path.join(args.out, 'selected'), T.rounded_state(unet), T.rounded_state(text), meta)
            metrics['selected'] = {'step': step, **res['selection']}
        save()

    per_measure = metrics['shipped']['seconds']
    fracs = [float(f) for f in args.checkpoints.split(',') if f]
    left = args.deadline - (time.time() - T.T0) - per_measure * (len(fracs) + 1) - 30
    train_s = 5.0 if args.smoke else max(60.0, left)
    T.log(f'one measurement took {per_measure:.0f}s; training for {train_s:.0f}s')
    sd = lambda m: {k: v.detach().cpu().numpy() for k, v in m.state_dict().items()}
    init = {'unet': sd(shipped_unet), 'text_encoder': sd(shipped_text)} if args.init == 'bundle' else None
    lr = args.lr or (1e-4 if init else 3e-4)
    del shipped_unet, shipped_text
    unet, text, meta = T.train_diffusion(pack, pack.latents, bank, pack.vocab, train_s, 32 if args.smoke else args.batch,
                                         os.path.join(args.out, 'last'), init=init, lr=lr, tokens=pack.tokens,
                                         joint_drop=args.joint_drop, sources=pack.source, checkpoints=fracs,
                                         on_checkpoint=on_checkpoint)
    metrics['training'] = {k: v for k, v in meta.items() if k != 'vocab'}
    on_checkpoint(meta['steps'], unet, text, final=True)
    if 'selected' not in metrics:
        metrics['selected'] = None
        T.log('no checkpoint met the rule by both judges: nothing selected (the last weights are in last/ for the record)')
    save()
    T.log('done')


if __name__ == '__main__':
    main()
