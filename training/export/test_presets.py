"""presets.py on the committed sampler sweep and bench results, and the shipped manifest's
presets as it wrote them (run: python3 -m unittest training/export/test_presets.py)."""
import json
import os
import unittest

from training.export.presets import BENCH, ROOT, SWEEP, parse_preset, presets

SHIPPED = os.path.join(ROOT, 'public', 'models', 'cxr-studio-v1', 'manifest.json')
SPECS = ['draft:Draft:dpmpp2m:4', 'fast:Fast:dpmpp2m:10', 'default:Best:ddim:20']


class PresetsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sweep = json.load(open(SWEEP))
        cls.bench = json.load(open(BENCH))

    def test_parse(self):
        name, label, setting = parse_preset('draft:Draft:ddim:5:one-pass')
        self.assertEqual((name, label, setting.scheduler, setting.steps, setting.one_pass), ('draft', 'Draft', 'ddim', 5, True))
        with self.assertRaisesRegex(ValueError, 'NAME:LABEL:SETTING'):
            parse_preset('draft:dpmpp2m')
        with self.assertRaisesRegex(ValueError, 'scheduler:steps'):
            parse_preset('draft:Draft:euler:4')

    def test_numbers_come_from_the_sweep_and_the_bench(self):
        draft, fast, best = presets([parse_preset(s) for s in SPECS], self.sweep, self.bench)
        timed = {(r['setting']['scheduler'], r['setting']['steps']): r['chromiumSeconds'] for r in self.bench['settings'] if not r['setting'].get('probe')}
        self.assertEqual(draft['seconds_wasm'], round(timed[('dpmpp2m', 4)], 2))
        self.assertEqual(best['seconds_wasm'], round(timed[('ddim', 20)], 2))
        every = self.sweep['dpmpp2m:4']['pooled']
        self.assertIn(f"{every['project']['every_cell']['adherence']:.2f} / {every['reference_v0']['every_cell']['adherence']:.2f}", draft['measured'])
        fid = self.sweep['dpmpp2m:4']['fid']
        self.assertIn(f"FID {fid['project']['fid']:.1f} / {fid['reference_v0']['fid']:.1f}", draft['measured'])
        self.assertIn('DDIM 20 steps: adherence', fast['measured'])  # compared with the full path...
        self.assertNotIn('DDIM 20 steps: adherence', best['measured'])  # ...which is not compared with itself
        self.assertNotIn('unet', best)
        self.assertEqual([p['guidance'] for p in (draft, fast, best)], [5.0, 5.0, 5.0])

    def test_without_a_bench_row_there_are_no_seconds(self):
        (draft,) = presets([parse_preset(SPECS[0])], self.sweep, {})
        self.assertNotIn('seconds_wasm', draft)
        self.assertNotIn(' s per image', draft['measured'])

    def test_a_setting_the_sweep_did_not_run_is_refused(self):
        with self.assertRaisesRegex(SystemExit, 'not in the sampler sweep'):
            presets([parse_preset('draft:Draft:ddim:5:one-pass')], self.sweep, self.bench)
        with self.assertRaisesRegex(SystemExit, 'names must differ'):
            presets([parse_preset(SPECS[1]), parse_preset('fast:Again:ddim:20')], self.sweep, self.bench)

    def test_the_shipped_presets_are_what_it_writes_from_the_committed_results(self):
        shipped = json.load(open(SHIPPED))['diffusion']['presets']
        self.assertEqual(shipped, presets([parse_preset(s) for s in SPECS], self.sweep, self.bench),
                         'the manifest\'s presets are not what the committed sweep and bench say: after a rerun of either, '
                         'python3 -m training.export.presets --bundle public/models/cxr-studio-v1 ' + ' '.join(f'--preset {s}' for s in SPECS))


if __name__ == '__main__':
    unittest.main()
