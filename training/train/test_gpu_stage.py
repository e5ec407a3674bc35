"""Every call in training/README.md's GPU queue still fits the device tool's 64 MiB with its
gpu_stage.sh profile: the tracked tree less what the profile moves aside, plus what the call
carries. Nothing is moved; sizes come from git's file list. A commit that grows the tree past
a call's room fails here, on this machine, instead of at the start of a rare GPU session
(run: python3 -m unittest training/train/test_gpu_stage.py)."""
import os
import subprocess
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SCRIPT = os.path.join(ROOT, 'training', 'train', 'gpu_stage.sh')
MIB = 2 ** 20
LIMIT = 64 * MIB
# What each call carries, as measured on 2026-12-05 (training/README.md gives the commands
# that make them): the all-source pack; the latents pack at --max-per-group 150; the
# reference judges (classifier.onnx + segmenter.onnx of ../shared/models/reference-v0);
# synthetic_gain.py pack's cond.npz and real.npz; the pool that call 1 returns (estimated;
# the grid's cells.jsonl is a few KB).
PACK = 45.1 * MIB
LATENTS = 7_430_794
WEIGHT_MAP = 32_828
REFERENCE = 9_799_148
CALLS = {
    'pack': PACK,
    'generator': LATENTS + WEIGHT_MAP + REFERENCE,
    'distill': LATENTS + WEIGHT_MAP + REFERENCE,
    'pool': WEIGHT_MAP + 0.15 * MIB + REFERENCE,
    'grid': 13.4 * MIB + 14.0 * MIB + 0.1 * MIB,
}
# Room left for untracked files and for the estimates above to be off.
MARGIN = 1.0 * MIB


def profiles():
    out = subprocess.run(['bash', SCRIPT, 'list'], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return {name: paths.split() for name, paths in (line.split(': ', 1) for line in out.strip().split('\n'))}


def tracked():
    names = subprocess.run(['git', 'ls-files', '-z'], cwd=ROOT, check=True, capture_output=True).stdout.decode().split('\0')
    return {n: os.path.getsize(os.path.join(ROOT, n)) for n in names if n and os.path.isfile(os.path.join(ROOT, n))}


class GpuStageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.profiles, cls.files = profiles(), tracked()

    def test_every_queued_call_has_a_profile(self):
        self.assertEqual(set(self.profiles), set(CALLS))

    def test_profiles_name_paths_that_exist(self):
        # A renamed folder would otherwise stay in the tree and the call would not fit.
        for name, paths in self.profiles.items():
            for p in paths:
                self.assertTrue(any(f == p or f.startswith(p + '/') for f in self.files), f'{name}: {p} is not tracked')

    def test_profiles_leave_the_device_side_python(self):
        for name, paths in self.profiles.items():
            for p in paths:
                self.assertFalse(p == 'training' or p.startswith('training/') and not p.startswith('training/runs/'),
                                 f'{name} moves {p}, which the device runs')

    def test_each_call_fits(self):
        for name, paths in self.profiles.items():
            stays = sum(s for f, s in self.files.items() if not any(f == p or f.startswith(p + '/') for p in paths))
            total = stays + CALLS[name]
            self.assertLessEqual(total + MARGIN, LIMIT,
                                 f'{name}: tracked {stays / MIB:.1f} MiB left in the tree + carried {CALLS[name] / MIB:.1f} MiB '
                                 f'= {total / MIB:.1f} MiB; add a path the call does not read to its profile in gpu_stage.sh')


if __name__ == '__main__':
    unittest.main()
