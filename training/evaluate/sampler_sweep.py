"""Quality against sampler cost for the Generate page's presets (issue 18), by both judges.

Runs evaluate/cross_source_adherence.py for each sampler setting (scheduler x steps, guidance
5 as the manifest's defaults) and noise sample (noise seed : mask seed) that is not in --dir
yet, then pools the samples of a setting (the same masks and noise in every setting, so
settings differ only in the sampler) and writes, per setting and judge (the project's
classifier and segmenter, and reference-v0's):
  - text-only prompt adherence per finding (no mask) and over all four;
  - adherence over every cell (every finding x every mask condition, as the app is used);
  - mean mask Dice over the mask cells;
  - FID on the judge's classifier features (256-d): every generated image of the setting (all
    cells, both samples: the findings balanced) against REAL_PER_FINDING real test images of each
    finding, with the FID of as many balanced real train images against the same test images
    beside it (real vs real at the same sizes: the floor, since FID at a few hundred images
    in 256 dimensions is biased upward) and each sample's own FID (the spread);
with Wilson 95% intervals, and the difference from --full (the full-quality path, DDIM 20
steps) on the same images. `table.md` and `quality_vs_steps.png` go to --dir; each sample's
features to `<setting>_seed<noise>.features.npz`, the real images' to `real.features.npz`.

UNet runs per image = steps (each one batched conditional + unconditional pass), which is
nearly all of an image's time before the decoder; seconds per preset in Chromium come from
bench/generate.bench.ts (BENCHMARKS.md).

    /work/venv-ort/bin/python -m training.evaluate.sampler_sweep --dir training/runs/sampler_sweep \
        --settings ddim:20,ddim:10,dpmpp2m:10,dpmpp2m:8,dpmpp2m:6,dpmpp2m:5,dpmpp2m:4 --samples 7:0,99:1
(A bundle with a one-pass student, unet_guided, adds its settings as `ddim:4:one-pass`.)
(2026-12-05, this 2-core VM: about 2-4 minutes per setting and sample at n = 8 per cell.)
"""
import argparse
import json
import os
import subprocess
import sys
from collections import namedtuple

import numpy as np

from training.evaluate.cross_source_adherence import wilson  # noqa: E402

JUDGES = ('project', 'reference_v0')
FINDINGS = ('normal', 'pneumonia', 'tuberculosis', 'covid19')
# Real images per finding for FID: the test split's rarest finding (covid-19) has 107.
REAL_PER_FINDING = 96
# The full-quality path (today's defaults) that every other setting is compared with.
FULL = 'ddim:20'


class Setting(namedtuple('Setting', 'scheduler steps one_pass')):
    """A sampler setting: `ddim:20` (the shipped UNet, two passes per step) or `ddim:4:one-pass`
    (the bundle's guidance-distilled student, unet_guided, one pass per step)."""

    @classmethod
    def parse(cls, text):
        parts = text.split(':')
        if len(parts) not in (2, 3) or parts[0] not in ('ddim', 'dpmpp2m') or not parts[1].isdigit() or parts[2:] not in ([], ['one-pass']):
            raise ValueError(f'a setting is scheduler:steps or scheduler:steps:one-pass (scheduler ddim or dpmpp2m), received {text!r}')
        return cls(parts[0], int(parts[1]), len(parts) == 3)

    @property
    def key(self):
        return f'{self.scheduler}:{self.steps}' + (':one-pass' if self.one_pass else '')

    def stem(self, noise_seed):
        return f'{self.scheduler}_{self.steps}' + ('_onepass' if self.one_pass else '') + f'_seed{noise_seed}'


def sample_path(folder, setting, noise_seed):
    return os.path.join(folder, setting.stem(noise_seed) + '.json')


def features_path(folder, setting, noise_seed):
    return os.path.join(folder, setting.stem(noise_seed) + '.features.npz')


def guided_file(bundle):
    """The bundle's one-pass student (manifest models.unet_guided, fp32 variant)."""
    entry = json.load(open(os.path.join(bundle, 'manifest.json')))['models'].get('unet_guided')
    if entry is None:
        raise SystemExit(f'{bundle} has no unet_guided (a one-pass student): see training/README.md, issue 18')
    return os.path.join(bundle, entry['variants']['fp32']['file'])


def measure(folder, setting, noise_seed, mask_seed, n_per, python, bundle):
    """Runs cross_source_adherence for one setting and sample unless a complete result and its
    features are there (the run is seeded: a rerun for the features repeats the same images)."""
    path = sample_path(folder, setting, noise_seed)
    features = features_path(folder, setting, noise_seed)
    if os.path.exists(path) and json.load(open(path)).get('complete') and os.path.exists(features):
        return path
    cmd = [python, '-m', 'training.evaluate.cross_source_adherence', '--bundle', bundle, '--n-per', str(n_per), '--pseudo', 'tbx11k_tb',
           '--scheduler', setting.scheduler, '--steps', str(setting.steps), '--guidance', '5', '--noise-seed', str(noise_seed),
           '--mask-seed', str(mask_seed), '--out', path, '--features', features]
    if setting.one_pass:
        cmd += ['--unet-guided', guided_file(bundle)]
    print(' '.join(cmd), flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return path


def real_features(folder, bundle, threads=2):
    """Each judge's classifier features of real images, the findings balanced: REAL_PER_FINDING
    test images of each (what FID is taken against) and as many train images (the real-vs-real
    floor). Computed once, then read from folder/real.features.npz."""
    path = os.path.join(folder, 'real.features.npz')
    if not os.path.exists(path):
        from training.data.cxrdata import read_records
        from training.evaluate.cross_source_adherence import DATA, REFERENCE, Judge
        from training.train.tune_decoder_tail import pick, png01
        records = read_records(DATA)
        judges = [Judge(bundle, threads, 'project'), Judge(REFERENCE, threads, 'reference_v0')]
        out = {}
        for split, seed in (('test', 8), ('train', 7)):
            rows = pick(records, split, REAL_PER_FINDING, seed)
            img = np.stack([png01(os.path.join(DATA, r['folder'], r['file'])) for r in rows])[:, None]
            for j in judges:
                out[f'{j.name}/{split}'] = j.read(img)[1].astype(np.float16)
        np.savez_compressed(path, **out)
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def fid(a, b):
    """FID between two float16 feature sets (train_all.fid: the pytorch-fid formula, float64)."""
    import torch
    from training.train.train_all import fid as frechet
    return frechet(torch.from_numpy(a.astype(np.float32)), torch.from_numpy(b.astype(np.float32)))


def sample_features(features, judge):
    """One sample's generated images' features for a judge, every cell stacked."""
    return np.concatenate([features[k] for k in sorted(features) if k.startswith(judge + '/')])


def pooled_fid(samples, real):
    """Per judge: FID of the setting's generated images (all samples) vs the real test images,
    each sample's own FID, and the real train vs real test floor; None without every sample's features."""
    if not samples or any(f is None for f in samples):
        return None
    out = {}
    for judge in JUDGES:
        per = [sample_features(f, judge) for f in samples]
        test, train = real[f'{judge}/test'], real[f'{judge}/train']
        out[judge] = {'fid': round(fid(np.concatenate(per), test), 3), 'n_generated': int(sum(len(p) for p in per)),
                      'fid_per_sample': [round(fid(p, test), 3) for p in per], 'n_real_test': len(test),
                      'fid_real_train_vs_test': round(fid(train, test), 3)}
    return out


def pooled(results):
    """One setting's samples pooled: per judge, hits and n for text-only per finding, all cells,
    and the mask cells' Dice values (one per cell, weighted by its n)."""
    out = {}
    for judge in JUDGES:
        text = {f: [0, 0] for f in FINDINGS}
        every = [0, 0]
        dice = []
        for result in results:
            for key, cell in result['cells'].items():
                finding, condition = key.split('/', 1)
                hits = round(cell[judge]['adherence'] * cell['n'])
                every[0] += hits
                every[1] += cell['n']
                if condition == 'none':
                    text[finding][0] += hits
                    text[finding][1] += cell['n']
                elif cell[judge].get('mask_dice') is not None:
                    dice.append((cell[judge]['mask_dice'], cell['n']))
        text_all = [sum(v[0] for v in text.values()), sum(v[1] for v in text.values())]
        out[judge] = {
            'text_only': {f: {'adherence': h / n, 'n': n, 'ci95': wilson(h, n)} for f, (h, n) in text.items() if n},
            'text_only_all': {'adherence': text_all[0] / text_all[1], 'n': text_all[1], 'ci95': wilson(*text_all)},
            'every_cell': {'adherence': every[0] / every[1], 'n': every[1], 'ci95': wilson(*every)},
            'mask_dice_mean': float(np.average([d for d, _ in dice], weights=[n for _, n in dice])) if dice else None,
        }
    return out


def label(row):
    """A table row's setting as the tables name it: 'ddim 20', 'ddim 4 one-pass'."""
    return f"{row['scheduler']} {row['steps']}" + (' one-pass' if row.get('one_pass') else '')


def render(table, full_key):
    full = table.get(full_key)
    lines = ['| sampler, steps (UNet runs) | n per cell | judge | text-only: normal / pneumonia / TB / covid-19 | text-only, all | every cell (all masks) | mask Dice | every cell - full path | mask Dice - full path |',
             '|---|---|---|---|---|---|---|---|---|']
    for key, row in table.items():
        for judge in JUDGES:
            r = row['pooled'][judge]
            per = ' / '.join(f"{r['text_only'][f]['adherence']:.2f}" for f in FINDINGS if f in r['text_only'])
            lo, hi = r['every_cell']['ci95']
            d_every = d_dice = '-'
            if full is not None and key != full_key:
                f = full['pooled'][judge]
                d_every = f"{r['every_cell']['adherence'] - f['every_cell']['adherence']:+.3f}"
                if r['mask_dice_mean'] is not None and f['mask_dice_mean'] is not None:
                    d_dice = f"{r['mask_dice_mean'] - f['mask_dice_mean']:+.4f}"
            dice = f"{r['mask_dice_mean']:.4f}" if r['mask_dice_mean'] is not None else '-'
            lines.append(f"| {label(row)} | {row['n_per_cell']} | {judge} | {per} | "
                         f"{r['text_only_all']['adherence']:.3f} | {r['every_cell']['adherence']:.3f} ({lo:.2f}-{hi:.2f}) | {dice} | {d_every} | {d_dice} |")
    fids = {key: row['fid'] for key, row in table.items() if row.get('fid')}
    if fids:
        lines += ['', '| sampler, steps | judge | FID vs real test (n generated / real) | each sample\'s FID | FID - full path | real train vs real test (the floor) |',
                  '|---|---|---|---|---|---|']
        full_fid = fids.get(full_key)
        for key, f in fids.items():
            for judge in JUDGES:
                r = f[judge]
                diff = f"{r['fid'] - full_fid[judge]['fid']:+.2f}" if full_fid and key != full_key else '-'
                lines.append(f"| {label(table[key])} | {judge} | {r['fid']:.2f} ({r['n_generated']} / {r['n_real_test']}) | "
                             f"{' / '.join(f'{x:.2f}' for x in r['fid_per_sample'])} | {diff} | {r['fid_real_train_vs_test']:.2f} |")
    return '\n'.join(lines) + '\n'


def plot(table, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4))
    for scheduler, one_pass, marker in (('ddim', False, 'o'), ('dpmpp2m', False, 's'), ('ddim', True, '^'), ('dpmpp2m', True, 'v')):
        rows = sorted((r for r in table.values() if r['scheduler'] == scheduler and bool(r.get('one_pass')) == one_pass),
                      key=lambda r: r['steps'])
        if not rows:
            continue
        steps = [r['steps'] for r in rows]
        scheduler = f'{scheduler} one-pass' if one_pass else scheduler
        for judge, style in zip(JUDGES, ('-', '--')):
            ax1.plot(steps, [r['pooled'][judge]['every_cell']['adherence'] for r in rows], style, marker=marker,
                     label=f'{scheduler}, {judge}')
            ax2.plot(steps, [r['pooled'][judge]['mask_dice_mean'] for r in rows], style, marker=marker,
                     label=f'{scheduler}, {judge}')
            with_fid = [r for r in rows if r.get('fid')]
            if with_fid:
                ax3.plot([r['steps'] for r in with_fid], [r['fid'][judge]['fid'] for r in with_fid], style, marker=marker,
                         label=f'{scheduler}, {judge}')
    ax1.set(xlabel='UNet runs per image (steps)', ylabel='prompt adherence, every cell', title='Prompt adherence')
    ax2.set(xlabel='UNet runs per image (steps)', ylabel='mean mask Dice', title='Mask Dice')
    ax3.set(xlabel='UNet runs per image (steps)', ylabel='FID vs real test (each judge\'s features)', title='FID (lower is better)')
    for ax in (ax1, ax2, ax3):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--dir', required=True, help='where the per-sample JSONs, table.md and the plot go')
    ap.add_argument('--settings', default='ddim:20,ddim:10,dpmpp2m:10,dpmpp2m:8,dpmpp2m:6,dpmpp2m:5,dpmpp2m:4')
    ap.add_argument('--samples', default='7:0,99:1', help='noise seed:mask seed, pooled per setting')
    ap.add_argument('--full', default=FULL, help='the full-quality path the differences are taken from')
    ap.add_argument('--n-per', type=int, default=8)
    ap.add_argument('--python', default=sys.executable)
    ap.add_argument('--bundle', default=None, help='the generator and project judge (default: cross_source_adherence\'s, cxr-studio-v1)')
    ap.add_argument('--no-measure', action='store_true', help='only pool and render what --dir holds')
    args = ap.parse_args()
    from training.evaluate.cross_source_adherence import BUNDLE
    bundle = args.bundle or BUNDLE
    os.makedirs(args.dir, exist_ok=True)
    settings = [Setting.parse(s) for s in args.settings.split(',')]
    samples = [tuple(int(x) for x in s.split(':')) for s in args.samples.split(',')]
    real = real_features(args.dir, bundle)
    table = {}
    for setting in settings:
        results, features = [], []
        for noise_seed, mask_seed in samples:
            path = sample_path(args.dir, setting, noise_seed)
            if not args.no_measure:
                measure(args.dir, setting, noise_seed, mask_seed, args.n_per, args.python, bundle)
            if os.path.exists(path) and json.load(open(path)).get('complete'):
                results.append(json.load(open(path)))
                fpath = features_path(args.dir, setting, noise_seed)
                features.append(dict(np.load(fpath)) if os.path.exists(fpath) else None)
        if results:
            table[setting.key] = {'scheduler': setting.scheduler, 'steps': setting.steps, 'one_pass': setting.one_pass,
                                  'samples': len(results), 'n_per_cell': sum(r['setting']['n_per_cell'] for r in results),
                                  'pooled': pooled(results), 'fid': pooled_fid(features, real)}
    with open(os.path.join(args.dir, 'summary.json'), 'w') as f:
        json.dump(table, f, indent=1)
    md = render(table, args.full)
    with open(os.path.join(args.dir, 'table.md'), 'w') as f:
        f.write(md)
    plot(table, os.path.join(args.dir, 'quality_vs_steps.png'))
    print(md)


if __name__ == '__main__':
    main()
