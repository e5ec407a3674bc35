"""Tests of loso.py's fold making and table, and train_all.balanced_weights.
Run: /usr/bin/python3 -m unittest training/evaluate/test_loso.py"""
import json
import os
import sys
import tempfile
import types
import unittest

import numpy as np

from training.evaluate import loso  # noqa: E402
from training.train.train_all import balanced_weights  # noqa: E402


def fold_input():
    records = [{'dup_sources': []}, {'dup_sources': ['hannover']}, {'dup_sources': ['ieee8023']},
               {'dup_sources': []}, {'dup_sources': []}]
    return types.SimpleNamespace(
        records=records,
        source=np.array(['ieee8023', 'ieee8023', 'hannover', 'shenzhen', 'shenzhen']),
        split=np.array(['train', 'test', 'train', 'val', 'test']),
        trainable=np.array([True, True, True, True, True]))


class HoldOutTest(unittest.TestCase):
    def test_held_out_source_and_its_duplicates_leave_training(self):
        data = fold_input()
        removed = loso.hold_out(data, 'hannover')
        self.assertEqual(removed, 1)  # the ieee8023 picture that is also in hannover
        self.assertEqual(list(data.split), ['train', 'test', 'heldout', 'train', 'test'])
        self.assertEqual(list(data.trainable), [True, False, False, True, True])

    def test_other_sources_val_joins_train(self):
        data = fold_input()
        loso.hold_out(data, 'ieee8023')
        self.assertEqual(list(data.split), ['heldout', 'heldout', 'train', 'train', 'test'])
        self.assertEqual(list(data.trainable), [False, False, False, True, True])

    def test_jobs_segmenter_only_where_masks(self):
        jobs = loso.jobs_for(['hannover', 'jsrt'], ['robust', 'baseline'], ['classifier', 'segmenter'], full=True)
        self.assertEqual(jobs, ['hannover:robust:classifier', 'hannover:baseline:classifier',
                                'jsrt:robust:classifier', 'jsrt:robust:segmenter', 'jsrt:baseline:classifier',
                                'jsrt:baseline:segmenter', 'none:robust:classifier', 'none:robust:segmenter'])

    def test_jobs_both_segmenter_sizes(self):
        jobs = loso.jobs_for(['hannover', 'jsrt'], ['robust', 'baseline'], ['segmenter'], full=True, seg_sizes=[256, 128])
        self.assertEqual(jobs, ['jsrt:robust:segmenter', 'jsrt:robust:segmenter:128', 'jsrt:baseline:segmenter',
                                'jsrt:baseline:segmenter:128', 'none:robust:segmenter', 'none:robust:segmenter:128'])
        self.assertEqual(loso.parse_job('jsrt:robust:segmenter:128'), ('jsrt', 'robust', 'segmenter', 128))
        self.assertEqual(loso.parse_job('jsrt:robust:classifier'), ('jsrt', 'robust', 'classifier', 256))


class MergeTest(unittest.TestCase):
    def test_128_px_results_are_their_own_method(self):
        with tempfile.TemporaryDirectory() as work:
            for name, r in (('a', {'source': 'jsrt', 'method': 'robust', 'model': 'segmenter', 'seg_size': 256}),
                            ('b', {'source': 'jsrt', 'method': 'robust', 'model': 'segmenter', 'seg_size': 128}),
                            ('c', {'source': 'jsrt', 'method': 'robust', 'model': 'classifier'})):
                with open(os.path.join(work, name + '.json'), 'w') as f:
                    json.dump(r, f)
            folds = loso.merge(work, {})['folds']
        self.assertEqual(sorted(folds['jsrt']), ['robust', 'robust@128px'])
        self.assertEqual(sorted(folds['jsrt']['robust']), ['classifier', 'segmenter'])
        self.assertEqual(folds['jsrt']['robust@128px']['segmenter']['seg_size'], 128)


class TableTest(unittest.TestCase):
    def test_one_class_sources_do_not_count_abnormal_f1(self):
        def scores(n_normal, n_abnormal, f1, per_class):
            return {'scores': {'n': n_normal + n_abnormal, 'classes_present': list(per_class), 'accuracy': 0.5,
                               'macro_f1_present': 0.5, 'per_class': per_class,
                               'abnormal': {'n_normal': n_normal, 'n_abnormal': n_abnormal, 'f1': f1}}}
        result = {'folds': {
            'hannover': {'robust': {'classifier': scores(0, 10, 0.99, {'covid19': {'recall': 0.98}})}},
            'shenzhen': {'robust': {'classifier': scores(5, 5, 0.80, {'normal': {'auc': 0.9}, 'tuberculosis': {'auc': 0.9}}),
                                    'segmenter': {'scores': {'shenzhen': {'dice_mean': 0.96}}}}}}}
        text = loso.table(result)
        self.assertIn('0.990 (no normals)', text)
        self.assertIn('tuberculosis 0.900', text)
        # targets: shenzhen's abnormal F1 (0.80, missed), its TB AUC (met) and Dice (met); hannover's F1 not counted
        self.assertIn('| robust | 0.800 (1 source) | 0.500 | 0.960 (1) | 2 of 3 |', text)

    def test_seg_size_table_applies_the_ship_rule_per_mask_source(self):
        seg = lambda **scores: {'segmenter': {'scores': {k: {'dice_mean': v} for k, v in scores.items()}}}
        result = {'folds': {
            'shenzhen': {'robust': seg(shenzhen=0.960), 'robust@128px': seg(shenzhen=0.952),
                         'baseline': seg(shenzhen=0.950), 'baseline@128px': seg(shenzhen=0.955)},
            'jsrt': {'robust': seg(shenzhen=0.930), 'robust@128px': seg(shenzhen=0.915)}}}
        text = loso.table(result)
        self.assertIn('| shenzhen | shenzhen | robust | 0.960 | 0.952 | -0.008 | yes |', text)
        self.assertIn('| jsrt | shenzhen | robust | 0.930 | 0.915 | -0.015 | no |', text)
        self.assertIn('| shenzhen | shenzhen | baseline | 0.950 | 0.955 | +0.005 | yes |', text)
        self.assertIn('robust@128px: 1 of 2 within 0.01\n', text)
        self.assertIn('baseline@128px: 1 of 1 within 0.01 (all)', text)
        self.assertEqual(loso.seg_size_table({'folds': {'jsrt': {'robust': seg(shenzhen=0.93)}}}), '')


class BalancedWeightsTest(unittest.TestCase):
    def test_each_level_is_uniform(self):
        label = np.array([0, 0, 0, 1, 1])
        source = np.array(['a', 'a', 'b', 'a', 'c'])
        p = balanced_weights(label, source)
        np.testing.assert_allclose(p, [0.125, 0.125, 0.25, 0.25, 0.25])

    def test_label_weight_scales_a_labels_share(self):
        p = balanced_weights(np.array([0, 1, 4, 4]), np.array(['a', 'a', 'b', 'c']), label_weight={4: 0.5})
        np.testing.assert_allclose([p[0], p[1], p[2:].sum()], [0.4, 0.4, 0.2])


class FailedJobTest(unittest.TestCase):
    def test_a_failed_job_says_why_and_no_result_exits_1(self):
        """A device call's output tail is all one sees at once: a job that crashes must name
        its exception there, and a call that produced nothing must not exit 0."""
        import subprocess
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with tempfile.TemporaryDirectory() as out:
            missing = os.path.join(out, 'no-such-pack.npz')
            proc = subprocess.run([sys.executable, '-m', 'training.evaluate.loso', '--pack', missing, '--out', out,
                                   '--smoke', '--sources', 'jsrt', '--methods', 'robust', '--models', 'segmenter',
                                   '--parallel', '1', '--workers', '1', '--deadline', '300'],
                                  cwd=root, capture_output=True, text=True, timeout=600)
            self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
            finished = [line for line in proc.stdout.splitlines() if 'jsrt:robust:segmenter finished' in line]
            self.assertEqual(len(finished), 1, proc.stdout)
            self.assertIn('(exit 1): FileNotFoundError', finished[0])
            self.assertIn('no-such-pack.npz', finished[0])
            self.assertIn('done: 0 results of 1 jobs', proc.stdout)


if __name__ == '__main__':
    unittest.main()
