"""Seconds per image against quality, one point per sampling setting (issue 18's plot).

Reads what `bench/generate.bench.ts` wrote (docs/benchmarks/generate-presets.json: each preset of the
Generate page and each setting of the sampler sweep, with its seconds in Chromium's WASM worker and
in onnxruntime-node, and its quality by both judges from training/runs/sampler_sweep/) and draws
prompt adherence (every cell: masks crossed between sources included), mask Dice and, when the sweep
measured it for every setting, FID on each judge's classifier features against seconds.
The x axis is Chromium's seconds when the bench had them, else onnxruntime-node's (the axis says
which). The issue's targets are drawn: Draft <= 1 s, Default <= 2 s, and 0.03 below the full-quality
path (the measured two-pass setting with the most UNet passes) by each judge.

    /usr/bin/python3 -m training.evaluate.seconds_vs_quality --json docs/benchmarks/generate-presets.json \
        --out docs/benchmarks/seconds_vs_quality.png
"""
import argparse
import json

JUDGES = (('project', 'project classifier', 'o'), ('reference', 'reference-v0', 's'))
TOLERANCE = 0.03  # issue 18: Default within 0.03 of the full-quality path, by both judges


def points(data):
    """The measured settings as plot points: (name, is_preset, seconds, unet_passes, quality), and the engine of the seconds."""
    rows = [r for r in data['settings'] if r.get('quality')]
    engine = 'chromium' if rows and all(r.get('chromiumSeconds') is not None for r in rows) else 'node'
    key = 'chromiumSeconds' if engine == 'chromium' else 'nodeSeconds'
    out = [(r['setting']['name'], r['setting']['isPreset'], r[key], r['unetPasses'], r['quality'])
           for r in rows if r.get(key) is not None]
    return out, engine


def full_path(pts):
    """The full-quality path: the measured setting with the most UNet passes (two passes, most steps)."""
    return max(pts, key=lambda p: p[3]) if pts else None


def panels(pts):
    """(quality key, axis label) per panel: adherence and mask Dice, and FID when every point has it by both judges."""
    out = [('everyCell', 'prompt adherence, every cell'), ('maskDice', 'mean mask Dice')]
    if pts and all(p[4][judge].get('fid') is not None for p in pts for judge, _, _ in JUDGES):
        out.append(('fid', 'FID vs real test, lower is better'))
    return out


def plot(data, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    pts, engine = points(data)
    full = full_path(pts)
    shown = panels(pts)
    fig, axes = plt.subplots(1, len(shown), figsize=(5.5 * len(shown), 4.2))
    for ax, (metric, ylabel) in zip(axes, shown):
        for judge, label, marker in JUDGES:
            xs = [p[2] for p in pts]
            ys = [p[4][judge][metric] for p in pts]
            line = ax.scatter(xs, ys, marker=marker, label=label)
            if full is not None and metric == 'everyCell':
                ax.axhline(full[4][judge][metric] - TOLERANCE, color=line.get_facecolor()[0], ls=':', lw=1,
                           label=f'{label}: full path ({full[0]}) - {TOLERANCE}')
        for name, is_preset, x, _, q in pts:
            y = max(q[j][metric] for j, _, _ in JUDGES)
            ax.annotate(name, (x, y), textcoords='offset points', xytext=(3, 4), fontsize=7,
                        fontweight='bold' if is_preset else 'normal')
        for target, what in ((1.0, 'Draft target'), (2.0, 'Default target')):
            ax.axvline(target, color='grey', ls='--', lw=1)
            ax.annotate(what, (target, 0.02), xycoords=('data', 'axes fraction'), rotation=90, fontsize=7,
                        xytext=(2, 0), textcoords='offset points')
        where = "Chromium WASM worker" if engine == 'chromium' else 'onnxruntime-node, 2 threads'
        ax.set(xlabel=f'seconds per image ({where})', ylabel=ylabel)
        ax.set_xlim(left=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc='lower right')
    fig.suptitle(f"{data['bundle']}: each sampling setting (presets in bold), {data['cpu']}, {data['measured']}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return pts, engine


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--json', required=True, help="bench/generate.bench.ts's docs/benchmarks/generate-presets.json")
    ap.add_argument('--out', required=True, help='the PNG to write')
    args = ap.parse_args(argv)
    with open(args.json) as f:
        data = json.load(f)
    pts, engine = plot(data, args.out)
    print(f'seconds_vs_quality: {len(pts)} settings plotted ({engine} seconds) -> {args.out}')
    return pts, engine


if __name__ == '__main__':
    main()
