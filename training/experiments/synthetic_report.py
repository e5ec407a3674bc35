"""Scores synthetic_gain.py's cells and renders them: a JSON of every cell with its
summary, the RESULTS.md table (arm x real-data size: macro-F1 and Dice with 95% CIs, and
each arm's gain over real-only) and a plot of the gain against the real-data size.

The CIs are paired percentile bootstraps over test images and seeds: each resample draws
test images and seeds with replacement, scores every arm on the same draw (macro-F1 or
mean Dice averaged over the drawn seeds), and the gain is arm minus real-only on that draw.

    /usr/bin/python3 -m training.experiments.synthetic_report --cells OUT/cells.jsonl --out OUT
"""
import argparse
import json
import os

import numpy as np

from training.data.cxrdata import CLASSES

SIZE_ORDER = ['5', '10', '25', '100', 'rare']


def read_cells(path):
    header, cells = None, {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            if 'header' in row:
                header = row['header']
            elif 'skipped' not in row:
                cells[row['key']] = row  # a resumed run may repeat a cell: the last one counts
    if header is None:
        raise SystemExit(f'{path}: no header line (not a synthetic_gain.py cells file)')
    return header, list(cells.values())


def macro_f1(y, pred, labels):
    """Mean F1 over `labels` (the classes present in the test set); a class never
    predicted and never true would count 0, but `labels` holds only true ones."""
    f1 = []
    for c in labels:
        tp = np.sum((pred == c) & (y == c))
        denom = np.sum(pred == c) + np.sum(y == c)
        f1.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1))


def auc(score, positive):
    """ROC AUC by the Mann-Whitney rank sum (ties get average ranks); nan if one side is empty."""
    from scipy.stats import rankdata
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if not n_pos or not n_neg:
        return float('nan')
    ranks = rankdata(score)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def summarise(header, cells, resamples=1000, seed=0):
    """{task: {size: {arm: {...}}}} with the point metric, its CI, the gain over real-only and its CI."""
    rng = np.random.default_rng(seed)
    y = np.array(header['test']['cls_labels'])
    present = sorted(set(y.tolist()))
    out = {}
    for task in ('cls', 'seg'):
        by = {}
        for c in cells:
            if c['task'] == task:
                by.setdefault(c['size'], {}).setdefault(c['arm'], {})[c['seed']] = c
        out[task] = {}
        for size in sorted(by, key=lambda s: SIZE_ORDER.index(s) if s in SIZE_ORDER else 99):
            arms = by[size]
            seeds = sorted(set.intersection(*(set(v) for v in arms.values())))
            if not seeds:
                continue
            if task == 'cls':
                per = {a: np.stack([np.argmax(np.array(arms[a][s]['probs']), 1) for s in seeds]) for a in arms}
                score = lambda a, idx, sd: np.mean([macro_f1(y[idx], per[a][k][idx], present) for k in sd])
            else:
                per = {a: np.stack([np.array(arms[a][s]['dice']) for s in seeds]) for a in arms}
                score = lambda a, idx, sd: float(per[a][np.ix_(sd, idx)].mean())
            n_test = per[next(iter(per))].shape[1]
            all_idx, all_seeds = np.arange(n_test), np.arange(len(seeds))
            draws = [(rng.integers(0, n_test, n_test), rng.integers(0, len(seeds), len(seeds))) for _ in range(resamples)]
            boot = {a: np.array([score(a, i, s) for i, s in draws]) for a in arms}
            out[task][size] = {}
            for a in arms:
                row = {'metric': round(score(a, all_idx, all_seeds), 4), 'ci': _ci(boot[a]), 'seeds': len(seeds),
                       'n_real': arms[a][seeds[0]]['n_real'], 'n_synthetic': arms[a][seeds[0]]['n_synthetic']}
                if 'real' in arms and a != 'real':
                    row['gain'] = round(score(a, all_idx, all_seeds) - score('real', all_idx, all_seeds), 4)
                    row['gain_ci'] = _ci(boot[a] - boot['real'])
                if task == 'cls':
                    probs = np.mean([np.array(arms[a][s]['probs']) for s in seeds], 0)
                    row['auc'] = {CLASSES[c]: round(auc(probs[:, c], y == c), 4) for c in present}
                out[task][size][a] = row
    return out


def _ci(values):
    return [round(float(np.percentile(values, 2.5)), 4), round(float(np.percentile(values, 97.5)), 4)]


def _size_name(size, header):
    return f"rare ({header['config']['rare_count']} real {header['config']['rare_class']})" if size == 'rare' else f'{size}%'


def markdown(header, summary):
    """The RESULTS.md table: one row per real-data size and arm."""
    lines = []
    for task, name in (('cls', 'macro-F1 over the held-out classes present'), ('seg', 'Dice (Shenzhen convention)')):
        if not summary.get(task):
            continue
        auc_head = ' AUC per class (seed-averaged probabilities) |' if task == 'cls' else ''
        lines += [f'| real data | arm | real / synthetic images | {name} [95% CI] | gain vs real only [95% CI] |{auc_head}',
                  '|---|---|---|---|---|' + ('---|' if task == 'cls' else '')]
        for size, arms in summary[task].items():
            for arm, r in arms.items():
                gain = f"{r['gain']:+.3f} [{r['gain_ci'][0]:+.3f}, {r['gain_ci'][1]:+.3f}]" if 'gain' in r else '—'
                aucs = ' ' + ', '.join(f'{k} {v:.3f}' for k, v in r['auc'].items()) + ' |' if task == 'cls' else ''
                lines.append(f"| {_size_name(size, header)} | {arm} | {r['n_real']} / {r['n_synthetic']} | "
                             f"{r['metric']:.3f} [{r['ci'][0]:.3f}, {r['ci'][1]:.3f}] | {gain} |{aucs}")
        lines.append('')
    return '\n'.join(lines)


def plot(header, summary, path):
    """Gain over real-only against real-data size, one line per arm, one panel per task."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, (task, label) in zip(axes, (('cls', 'macro-F1 gain'), ('seg', 'Dice gain'))):
        sizes = [s for s in summary.get(task, {}) if s != 'rare']
        arms = sorted({a for s in sizes for a in summary[task][s] if a != 'real'})
        for k, arm in enumerate(arms):
            pts = [(float(s), summary[task][s][arm]) for s in sizes if arm in summary[task][s]]
            x = np.array([p[0] for p in pts]) * (1 + 0.03 * (k - len(arms) / 2))
            g = np.array([p[1]['gain'] for p in pts])
            lo, hi = np.array([p[1]['gain_ci'][0] for p in pts]), np.array([p[1]['gain_ci'][1] for p in pts])
            ax.errorbar(x, g, yerr=[g - lo, hi - g], marker='o', capsize=3, label=arm)
        ax.axhline(0, color='grey', lw=0.8)
        ax.set_xscale('log')
        ax.set_xticks([float(s) for s in sizes], [f'{s}%' for s in sizes])
        ax.minorticks_off()
        ax.set_xlabel('real training data (% of the training split)')
        ax.set_ylabel(f'{label} vs real only')
        ax.set_title({'cls': 'classification', 'seg': 'lung segmentation'}[task])
        if arms:
            ax.legend(fontsize=7)
    fig.suptitle(f"held out: {', '.join(header['test']['sources'])}; 95% paired bootstrap CIs (rare setting: table only)",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def render(cells_path, out_dir, resamples=1000):
    header, cells = read_cells(cells_path)
    summary = summarise(header, cells, resamples)
    with open(os.path.join(out_dir, 'synthetic_gain.json'), 'w') as f:
        json.dump({'header': header, 'summary': summary, 'cells': cells}, f)
    with open(os.path.join(out_dir, 'synthetic_gain.md'), 'w') as f:
        f.write(markdown(header, summary))
    try:
        plot(header, summary, os.path.join(out_dir, 'synthetic_gain.png'))
    except ImportError as e:
        print(f'no plot: {e} (apt-get install python3-matplotlib)')
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cells', required=True, help='cells.jsonl written by synthetic_gain.py')
    ap.add_argument('--out', required=True, help='folder for synthetic_gain.json, .md and .png')
    ap.add_argument('--resamples', type=int, default=1000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    render(args.cells, args.out, args.resamples)
    print(open(os.path.join(args.out, 'synthetic_gain.md')).read())


if __name__ == '__main__':
    main()
