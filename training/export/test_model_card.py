"""model_card.py on the committed runs/ and the shipped bundle: the committed MODEL_CARD.md is
what the generator writes from them (so a new run or preset cannot leave the card stale), and the
held-out numbers come before the test-split ones
(run: python3 -m unittest training/export/test_model_card.py)."""
import json
import os
import re
import unittest

from training.export.model_card import card, load_runs

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BUNDLE = os.path.join(ROOT, 'public', 'models', 'cxr-studio-v1')
RUNS = os.path.join(ROOT, 'training', 'runs')
# The one line that differs from run to run: the date and machine the card was written on.
WRITTEN = re.compile(r'Written by `training/export/model_card.py` on [^\n]*\n')


def render(runs):
    measured = json.load(open(os.path.join(BUNDLE, 'measured_test.json')))
    manifest = json.load(open(os.path.join(BUNDLE, 'manifest.json')))
    return card(BUNDLE, runs, measured, manifest)


class ModelCardTest(unittest.TestCase):
    def test_committed_card_is_what_the_generator_writes(self):
        committed = open(os.path.join(BUNDLE, 'MODEL_CARD.md')).read()
        self.assertEqual(WRITTEN.sub('', render(load_runs(RUNS))), WRITTEN.sub('', committed),
                         'MODEL_CARD.md is stale: python3 -m training.export.model_card --skip-measure')

    def test_held_out_numbers_lead(self):
        text = render(load_runs(RUNS))
        headings = [line for line in text.split('\n') if line.startswith('## ')]
        self.assertEqual(headings[:2], ['## Intended use and limits', '## What to expect at a new hospital'])
        held_out = text.index('## What to expect at a new hospital')
        self.assertLess(held_out, text.index('## Segmenter (test split'))
        self.assertLess(held_out, text.index('## Classifier (test split'))
        # v1's own numbers on the three sources it never saw (runs/loso_v1_unseen.json).
        section = text[held_out:text.index('## Data and terms')]
        for source in ('hannover', 'jsrt', 'tbx11k'):
            self.assertIn(f'| {source} | cxr-studio-v1 |', section)

    def test_pending_loso_run_is_said_and_a_finished_one_shown(self):
        runs = load_runs(RUNS)
        runs.pop('loso', None)
        self.assertIn('has not run yet', render(runs))
        # A leave-one-source-out result in loso.py's format: v1's own unseen-source scores stand in.
        runs['loso'] = dict(load_runs(RUNS)['loso_v1_unseen'], config={'seg_seconds': 150, 'cls_seconds': 180, 'parallel': 7})
        text = render(runs)
        self.assertNotIn('has not run yet', text)
        self.assertIn('### Leave one source out', text)
        self.assertIn('segmenter 150 s, classifier 180 s per job, 7 jobs at once', text)

    def test_presets_table(self):
        text = render(load_runs(RUNS))
        presets = json.load(open(os.path.join(BUNDLE, 'manifest.json')))['diffusion']['presets']
        sampler = text[text.index('### Steps and sampler'):text.index('### Negative prompts')]
        for p in presets:
            self.assertIn(f"| {p['label']} |", sampler)
            self.assertIn(f"| {p['seconds_wasm']} |", sampler)
        self.assertNotIn('one pass', sampler)  # the shipped bundle has no guidance-distilled UNet

    def test_example_masks_table(self):
        # the numbers the Generate page shows beside the prompt for each example mask, both judges
        text = render(load_runs(RUNS))
        section = text[text.index('### Example masks'):text.index('## How it was made')]
        masks = json.load(open(os.path.join(BUNDLE, 'manifest.json')))['example_masks']
        for m in masks:
            row = next(line for line in section.split('\n') if line.startswith(f"| `{m['file']}` |"))
            for judge, by_finding in m['prompt_adherence']['by'].items():
                self.assertIn(f'read as the prompted finding, {judge}', section)
                for finding, share in by_finding.items():
                    self.assertIn(f'{finding} {share}', row)
        manifest = json.load(open(os.path.join(BUNDLE, 'manifest.json')))
        for m in manifest['example_masks']:
            m.pop('prompt_adherence')
        measured = json.load(open(os.path.join(BUNDLE, 'measured_test.json')))
        self.assertNotIn('### Example masks', card(BUNDLE, load_runs(RUNS), measured, manifest))

    def test_one_pass_preset_says_so(self):
        from training.export.model_card import presets_paragraph
        student = {'name': 'draft', 'label': 'Draft', 'steps': 5, 'guidance': 5.0, 'scheduler': 'ddim', 'unet': 'unet_guided'}
        self.assertIn('| Draft | DDIM, 5 steps, guidance 5, one pass (the guidance-distilled UNet) | - |', '\n'.join(presets_paragraph([student])))


if __name__ == '__main__':
    unittest.main()
