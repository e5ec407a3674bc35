"""Quality against sampler cost for the Generate page's presets (issue 18), by both judges.

Runs evaluate/cross_source_adherence.py for each sampler setting (scheduler x steps, guidance
5 as the manifest's defaults) and noise sample (noise seed : mask seed) that is not in --dir
yet, then pools the samples of a setting (the same masks and noise in every setting, so
settings differ only in the sampler) and writes, per setting and judge (the project's
classifier and segmenter, and reference-v0's):
  - text-only prompt adherence per finding (no mask) and over all four;
  - adherence over every cell (every finding x every mask condition, as the app is used);
  - mean mask Dice over the mask cells;
with Wilson 95% intervals, and the difference from --full (the full-quality path, DDIM 20
steps) on the same images. `table.md` and `quality_vs_steps.png` go to --dir.

UNet runs per image = steps (each one batched conditional + unconditional pass), which is
nearly all of an image's time before the decoder; seconds per preset in Chromium come from
bench/generate.bench.ts (BENCHMARKS.md).

    /work/venv-ort/bin/python -m training.evaluate.sampler_sweep --dir training/runs/sampler_sweep \
        --settings ddim:20,ddim:10,dpmpp2m:10,dpmpp2m:8,dpmpp2m:6,dpmpp2m:5,dpmpp2m:4 --samples 7:0,99:1
(2026-12-05, this 2-core VM: about 2-4 minutes per setting and sample at n = 8 per cell.)
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

from training.evaluate.cross_source_adherence import wilson  # noqa: E402

JUDGES = ('project', 'reference_v0')
FINDINGS = ('normal', 'pneumonia', 'tuberculosis', 'covid19')


def sample_path(folder, scheduler, steps, noise_seed):
    return os.path.join(folder, f'{scheduler}_{steps}_seed{noise_seed}.json')


def measure(folder, scheduler, steps, noise_seed, mask_seed, n_per, python):
    """Runs cross_source_adherence for one setting and sample unless a complete result is there."""
    path = sample_path(folder, scheduler, steps, noise_seed)
    if os.path.exists(path) and json.load(open(path)).get('complete'):
        return path
    cmd = [python, '-m', 'training.evaluate.cross_source_adherence', '--n-per', str(n_per), '--pseudo', 'tbx11k_tb',
           '--scheduler', scheduler, '--steps', str(steps), '--guidance', '5', '--noise-seed', str(noise_seed),
           '--mask-seed', str(mask_seed), '--out', path]
    print(' '.join(cmd), flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return path


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
            lines.append(f"| {row['scheduler']} {row['steps']} | {row['n_per_cell']} | {judge} | {per} | "
                         f"{r['text_only_all']['adherence']:.3f} | {r['every_cell']['adherence']:.3f} ({lo:.2f}-{hi:.2f}) | {dice} | {d_every} | {d_dice} |")
    return '\n'.join(lines) + '\n'


def plot(table, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for scheduler, marker in (('ddim', 'o'), ('dpmpp2m', 's')):
        rows = sorted((r for r in table.values() if r['scheduler'] == scheduler), key=lambda r: r['steps'])
        if not rows:
            continue
        steps = [r['steps'] for r in rows]
        for judge, style in zip(JUDGES, ('-', '--')):
            ax1.plot(steps, [r['pooled'][judge]['every_cell']['adherence'] for r in rows], style, marker=marker,
                     label=f'{scheduler}, {judge}')
            ax2.plot(steps, [r['pooled'][judge]['mask_dice_mean'] for r in rows], style, marker=marker,
                     label=f'{scheduler}, {judge}')
    ax1.set(xlabel='UNet runs per image (steps)', ylabel='prompt adherence, every cell', title='Prompt adherence')
    ax2.set(xlabel='UNet runs per image (steps)', ylabel='mean mask Dice', title='Mask Dice')
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--dir', required=True, help='where the per-sample JSONs, table.md and the plot go')
    ap.add_argument('--settings', default='ddim:20,ddim:10,dpmpp2m:10,dpmpp2m:8,dpmpp2m:6,dpmpp2m:5,dpmpp2m:4')
    ap.add_argument('--samples', default='7:0,99:1', help='noise seed:mask seed, pooled per setting')
    ap.add_argument('--full', default='ddim:20', help='the full-quality path the differences are taken from')
    ap.add_argument('--n-per', type=int, default=8)
    ap.add_argument('--python', default=sys.executable)
    ap.add_argument('--no-measure', action='store_true', help='only pool and render what --dir holds')
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    settings = [(s.split(':')[0], int(s.split(':')[1])) for s in args.settings.split(',')]
    samples = [tuple(int(x) for x in s.split(':')) for s in args.samples.split(',')]
    table = {}
    for scheduler, steps in settings:
        results = []
        for noise_seed, mask_seed in samples:
            path = sample_path(args.dir, scheduler, steps, noise_seed)
            if not args.no_measure:
                measure(args.dir, scheduler, steps, noise_seed, mask_seed, args.n_per, args.python)
            if os.path.exists(path) and json.load(open(path)).get('complete'):
                results.append(json.load(open(path)))
        if results:
            table[f'{scheduler}:{steps}'] = {'scheduler': scheduler, 'steps': steps, 'samples': len(results),
                                             'n_per_cell': sum(r['setting']['n_per_cell'] for r in results),
                                             'pooled': pooled(results)}
    with open(os.path.join(args.dir, 'summary.json'), 'w') as f:
        json.dump(table, f, indent=1)
    md = render(table, args.full)
    with open(os.path.join(args.dir, 'table.md'), 'w') as f:
        f.write(md)
    plot(table, os.path.join(args.dir, 'quality_vs_steps.png'))
    print(md)


if __name__ == '__main__':
    main()
