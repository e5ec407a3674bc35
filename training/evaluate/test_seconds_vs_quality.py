"""seconds_vs_quality.py: which seconds it plots, which settings it leaves out, and that it writes a PNG.

The fixture has the shape bench/generate.bench.ts writes; its quality numbers are the sampler sweep's
committed pooled results (training/runs/sampler_sweep/summary.json), its seconds made up for the test.
"""
import json
import os
import tempfile
import unittest

from training.evaluate import seconds_vs_quality as svq

SWEEP = os.path.join(os.path.dirname(__file__), '..', 'runs', 'sampler_sweep', 'summary.json')


def quality(key):
    with open(SWEEP) as f:
        pooled = json.load(f)[key]['pooled']
    judge = lambda j: {'everyCell': j['every_cell']['adherence'], 'textOnly': j['text_only_all']['adherence'],
                       'maskDice': j['mask_dice_mean']}
    return {'project': judge(pooled['project']), 'reference': judge(pooled['reference_v0'])}


def row(name, scheduler, steps, preset, node, chromium=None, measured=True, unet=None):
    setting = {'name': name, 'steps': steps, 'guidance': 5, 'scheduler': scheduler, 'isPreset': preset}
    if unet:
        setting['unet'] = unet
    r = {'setting': setting, 'unetPasses': steps * (1 if unet else 2), 'nodeSeconds': node}
    if chromium is not None:
        r['chromiumSeconds'] = chromium
    if measured:
        r['quality'] = quality(f'{scheduler}:{steps}')
    return r


def bench_json(rows):
    return {'measured': 'test', 'cpu': 'test CPU', 'load': '0', 'bundle': 'cxr-studio-v1', 'images_per_setting': 2,
            'settings': rows}


class SecondsVsQuality(unittest.TestCase):
    def test_chromium_seconds_when_every_measured_setting_has_them(self):
        data = bench_json([row('default', 'ddim', 20, True, 1.9, 6.0), row('fast', 'dpmpp2m', 10, True, 1.0, 3.6),
                           row('draft', 'ddim', 4, True, 0.3, 1.0, measured=False, unet='unet_guided')])
        pts, engine = svq.points(data)
        self.assertEqual(engine, 'chromium')
        self.assertEqual([(p[0], p[2]) for p in pts], [('default', 6.0), ('fast', 3.6)])  # draft: no quality
        self.assertEqual(svq.full_path(pts)[0], 'default')

    def test_node_seconds_when_chromium_did_not_run(self):
        data = bench_json([row('default', 'ddim', 20, True, 1.9, 6.0), row('dpmpp2m-4', 'dpmpp2m', 4, False, 0.5)])
        pts, engine = svq.points(data)
        self.assertEqual(engine, 'node')
        self.assertEqual([(p[0], p[2]) for p in pts], [('default', 1.9), ('dpmpp2m-4', 0.5)])

    def test_writes_the_png(self):
        from PIL import Image
        data = bench_json([row('default', 'ddim', 20, True, 1.9, 6.0), row('fast', 'dpmpp2m', 10, True, 1.0, 3.6),
                           row('dpmpp2m-4', 'dpmpp2m', 4, False, 0.5, 2.4)])
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, 'bench.json'), os.path.join(d, 'plot.png')
            with open(src, 'w') as f:
                json.dump(data, f)
            pts, engine = svq.main(['--json', src, '--out', out])
            self.assertEqual((len(pts), engine), (3, 'chromium'))
            with Image.open(out) as im:
                self.assertEqual(im.format, 'PNG')
                self.assertEqual(im.size, (990, 378))  # 11 x 4.2 inches at 90 dpi

    def test_a_third_panel_for_fid_only_when_every_setting_has_it_by_both_judges(self):
        rows = [row('default', 'ddim', 20, True, 1.9, 6.0), row('fast', 'dpmpp2m', 10, True, 1.0, 3.6)]
        for r, (project, reference) in zip(rows, ((3.1, 4.2), (3.4, 4.0))):
            r['quality']['project']['fid'], r['quality']['reference']['fid'] = project, reference
        pts, _ = svq.points(bench_json(rows))
        self.assertEqual([k for k, _ in svq.panels(pts)], ['everyCell', 'maskDice', 'fid'])
        del rows[1]['quality']['reference']['fid']
        pts, _ = svq.points(bench_json(rows))
        self.assertEqual([k for k, _ in svq.panels(pts)], ['everyCell', 'maskDice'])
        with tempfile.TemporaryDirectory() as d:
            rows[1]['quality']['reference']['fid'] = 4.0
            src, out = os.path.join(d, 'bench.json'), os.path.join(d, 'plot.png')
            with open(src, 'w') as f:
                json.dump(bench_json(rows), f)
            svq.main(['--json', src, '--out', out])
            from PIL import Image
            with Image.open(out) as im:
                self.assertEqual(im.size, (1485, 378))  # 16.5 x 4.2 inches at 90 dpi


if __name__ == '__main__':
    unittest.main()
