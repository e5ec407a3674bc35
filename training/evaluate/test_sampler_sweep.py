"""sampler_sweep.py's FID pooling: which features it stacks, what it compares them with, and that
a setting without every sample's features gets no FID (rather than one from part of its images).

The features are drawn from known Gaussians, so the expected FIDs are known: a generated set drawn
like the real test set scores near the real-vs-real floor, one shifted by d in every one of k
dimensions scores near k * d^2 more.
"""
import unittest

import numpy as np

from training.evaluate import sampler_sweep as S

DIM = 16


def draw(rng, n, shift=0.0):
    return (rng.standard_normal((n, DIM)) + shift).astype(np.float16)


def sample(rng, shift=0.0, per_cell=40):
    """One sample's features as cross_source_adherence --features writes them: judge/finding/condition."""
    return {f'{judge}/{finding}/{condition}': draw(rng, per_cell, shift)
            for judge in S.JUDGES for finding in ('normal', 'covid19') for condition in ('none', 'shenzhen')}


class PooledFid(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(0)
        self.real = {f'{judge}/{split}': draw(rng, 2000) for judge in S.JUDGES for split in ('test', 'train')}
        self.rng = rng

    def test_stacks_every_cell_of_every_sample_per_judge(self):
        out = S.pooled_fid([sample(self.rng), sample(self.rng)], self.real)
        self.assertEqual(set(out), set(S.JUDGES))
        for judge in S.JUDGES:
            self.assertEqual(out[judge]['n_generated'], 2 * 4 * 40)
            self.assertEqual(out[judge]['n_real_test'], 2000)
            self.assertEqual(len(out[judge]['fid_per_sample']), 2)

    def test_same_distribution_scores_near_the_floor_and_a_shift_scores_its_squared_distance(self):
        same = S.pooled_fid([sample(self.rng), sample(self.rng)], self.real)
        shifted = S.pooled_fid([sample(self.rng, 0.5), sample(self.rng, 0.5)], self.real)
        for judge in S.JUDGES:
            self.assertLess(same[judge]['fid'], 0.5)
            self.assertLess(same[judge]['fid_real_train_vs_test'], 0.1)
            # |mu1 - mu2|^2 = DIM * 0.25 = 4, plus the same small-sample bias as above
            self.assertAlmostEqual(shifted[judge]['fid'], DIM * 0.25, delta=0.6)

    def test_no_fid_unless_every_sample_has_features(self):
        self.assertIsNone(S.pooled_fid([sample(self.rng), None], self.real))
        self.assertIsNone(S.pooled_fid([], self.real))

    def test_the_table_gives_each_setting_its_fid_its_difference_from_the_full_path_and_the_floor(self):
        table = {}
        for key, (scheduler, steps, shift) in {'ddim:20': ('ddim', 20, 0.0), 'dpmpp2m:4': ('dpmpp2m', 4, 0.5)}.items():
            pooled = {j: {'text_only': {'normal': {'adherence': 1.0}}, 'text_only_all': {'adherence': 1.0},
                          'every_cell': {'adherence': 1.0, 'ci95': [0.9, 1.0]}, 'mask_dice_mean': 0.95} for j in S.JUDGES}
            table[key] = {'scheduler': scheduler, 'steps': steps, 'n_per_cell': 80, 'pooled': pooled,
                          'fid': S.pooled_fid([sample(self.rng, shift)], self.real)}
        md = S.render(table, 'ddim:20')
        fid_rows = [line for line in md.splitlines() if line.startswith('| dpmpp2m 4 |') and '(160 / 2000)' in line]
        self.assertEqual(len(fid_rows), len(S.JUDGES))
        for line in fid_rows:
            diff = float(line.split('|')[5])
            self.assertAlmostEqual(diff, DIM * 0.25, delta=1.0)



class Settings(unittest.TestCase):
    def test_two_pass_and_one_pass_settings_get_their_own_keys_and_files(self):
        two, one = S.Setting.parse('ddim:20'), S.Setting.parse('dpmpp2m:4:one-pass')
        self.assertEqual((two.key, two.stem(7), two.one_pass), ('ddim:20', 'ddim_20_seed7', False))
        self.assertEqual((one.key, one.stem(99), one.one_pass), ('dpmpp2m:4:one-pass', 'dpmpp2m_4_onepass_seed99', True))
        self.assertEqual(S.label({'scheduler': 'dpmpp2m', 'steps': 4, 'one_pass': True}), 'dpmpp2m 4 one-pass')
        self.assertEqual(S.label({'scheduler': 'ddim', 'steps': 20}), 'ddim 20')  # summaries written before one-pass rows

    def test_a_malformed_setting_is_refused_with_the_form_it_takes(self):
        for bad in ('ddim', 'ddim:x', 'euler:4', 'ddim:4:two-pass', 'ddim:4:one-pass:1'):
            with self.assertRaisesRegex(ValueError, 'scheduler:steps or scheduler:steps:one-pass'):
                S.Setting.parse(bad)


if __name__ == '__main__':
    unittest.main()
