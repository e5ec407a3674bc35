"""Writes a bundle's named sampling presets (manifest `diffusion.presets`, docs/manifest.md)
from what was measured, so that each Generate-page button carries its own numbers:

  - quality from the sampler sweep (training/runs/sampler_sweep/summary.json: both judges'
    every-cell and text-only prompt adherence, mask Dice and FID, and the same for the full
    path, DDIM 20 steps), as the button's tooltip (`measured`);
  - seconds per image in Chromium's WASM worker from bench/generate.bench.ts
    (docs/benchmarks/generate-presets.json) as `seconds_wasm`, when the bench timed that
    setting. A one-pass student's setting is timed only once it is a preset, so a new student
    takes two rounds: presets, bench, presets again.

A preset is NAME:LABEL:SETTING, SETTING as sampler_sweep.py writes it (`dpmpp2m:4`, `ddim:20`,
`ddim:5:one-pass` for the bundle's unet_guided), at the sweep's guidance (5). The other
manifest fields (`defaults`, `fast`) are left as they are.

    /usr/bin/python3 -m training.export.presets --bundle public/models/cxr-studio-v1 \\
        --preset draft:Draft:dpmpp2m:4 --preset fast:Fast:dpmpp2m:10 --preset default:Best:ddim:20
"""
import argparse
import json
import os
from datetime import datetime

from training.evaluate.sampler_sweep import FULL, Setting

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(HERE)
SWEEP = os.path.join(HERE, 'runs', 'sampler_sweep', 'summary.json')
BENCH = os.path.join(ROOT, 'docs', 'benchmarks', 'generate-presets.json')
GUIDANCE = 5  # every sampler_sweep.py setting runs at guidance 5


def parse_preset(text):
    """'draft:Draft:dpmpp2m:4' -> (name, label, Setting)."""
    name, label, *setting = text.split(':')
    if not name or not label or not setting:
        raise ValueError(f'a preset is NAME:LABEL:SETTING (e.g. draft:Draft:dpmpp2m:4), received {text!r}')
    return name, label, Setting.parse(':'.join(setting))


def unet_of(setting):
    return 'unet_guided' if setting.one_pass else 'unet'


def bench_seconds(bench, setting):
    """The bench's Chromium seconds per image for this setting, or None if it did not time it."""
    for row in bench.get('settings', []):
        s = row['setting']
        if (s['scheduler'], s['steps'], s['guidance'], s.get('unet', 'unet')) == (setting.scheduler, setting.steps, GUIDANCE, unet_of(setting)) \
                and not s.get('probe') and row.get('chromiumSeconds'):
            return row['chromiumSeconds']
    return None


def measured_text(sweep, setting, seconds, bench):
    """One paragraph for the tooltip: what the sweep and the bench measured for this setting."""
    if setting.key not in sweep:
        raise SystemExit(f'{setting.key} is not in the sampler sweep ({SWEEP}); run training/evaluate/sampler_sweep.py '
                         f'with --settings ...,{setting.key} first')
    row, full = sweep[setting.key], sweep.get(FULL)
    p, r = row['pooled']['project'], row['pooled']['reference_v0']
    words = [f"Prompt adherence over 4 findings x 6 mask sources {p['every_cell']['adherence']:.2f} / {r['every_cell']['adherence']:.2f} "
             f"(this bundle's classifier / the independent reference-v0; n = {p['every_cell']['n']}), "
             f"text only {p['text_only_all']['adherence']:.2f} / {r['text_only_all']['adherence']:.2f}, "
             f"mask Dice {p['mask_dice_mean']:.3f} / {r['mask_dice_mean']:.3f}"]
    if row.get('fid'):
        f = row['fid']
        words[-1] += (f"; FID {f['project']['fid']:.1f} / {f['reference_v0']['fid']:.1f} "
                      f"(real vs real {f['project']['fid_real_train_vs_test']:.1f} / {f['reference_v0']['fid_real_train_vs_test']:.1f})")
    if full and setting.key != FULL:
        fp, fr = full['pooled']['project'], full['pooled']['reference_v0']
        words.append(f"DDIM 20 steps: adherence {fp['every_cell']['adherence']:.2f} / {fr['every_cell']['adherence']:.2f}"
                     + (f", FID {full['fid']['project']['fid']:.1f} / {full['fid']['reference_v0']['fid']:.1f}" if full.get('fid') else ''))
    if seconds is not None:
        when = datetime.strptime(' '.join(bench['measured'].split()), '%a %b %d %H:%M:%S UTC %Y').date().isoformat()
        cpu = bench['cpu'].replace('(R)', '').replace('(TM)', '')
        words.append(f"{seconds:.1f} s per image in Chromium's WASM worker on a 2-core {cpu} ({when}, BENCHMARKS.md)")
    return '. '.join(words) + '.'


def presets(specs, sweep, bench):
    """The manifest entries, in the order given."""
    out = []
    for name, label, setting in specs:
        seconds = bench_seconds(bench, setting)
        entry = {'name': name, 'label': label, 'steps': setting.steps, 'guidance': float(GUIDANCE), 'scheduler': setting.scheduler}
        if setting.one_pass:
            entry['unet'] = 'unet_guided'
        if seconds is not None:
            entry['seconds_wasm'] = round(seconds, 2)
        entry['measured'] = measured_text(sweep, setting, seconds, bench)
        out.append(entry)
    if len({e['name'] for e in out}) != len(out):
        raise SystemExit(f'preset names must differ, received {[e["name"] for e in out]}')
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bundle', required=True)
    ap.add_argument('--preset', action='append', required=True, help='NAME:LABEL:SETTING, in the order the page shows them')
    ap.add_argument('--sweep', default=SWEEP)
    ap.add_argument('--bench', default=BENCH)
    args = ap.parse_args()
    path = os.path.join(args.bundle, 'manifest.json')
    manifest = json.load(open(path))
    bench = json.load(open(args.bench)) if os.path.exists(args.bench) else {}
    entries = presets([parse_preset(p) for p in args.preset], json.load(open(args.sweep)), bench)
    if any(e.get('unet') == 'unet_guided' for e in entries) and 'unet_guided' not in manifest['models']:
        raise SystemExit(f'{path} has no models.unet_guided for a one-pass preset (training/export/guided_student.py)')
    manifest['diffusion']['presets'] = entries
    with open(path, 'w') as f:
        json.dump(manifest, f, indent=1)
    for e in entries:
        print(f"{e['name']}: {e['label']}, {e['scheduler']} {e['steps']} steps, {e.get('seconds_wasm', 'no')} s")


if __name__ == '__main__':
    main()
