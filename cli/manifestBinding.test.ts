import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as augmentExperiment } from './augmentExperiment.ts';
import { defaultBundleDir, readBundle } from './bundle.ts';
import { openBatchModels } from './batch/models.ts';
import { judgeImages } from './judge.ts';

// Every command that runs a bundle's segmenter or classifier binds its manifest to the graph
// (bindImageModel in cli/bundle.ts) before the first image: a --model-dir whose manifest
// names an input the graph does not have is refused in words, not with an onnxruntime error
// per image. analyze and evaluate are tested in cli/userModelInputs.test.ts.
const work = mkdtempSync(join(tmpdir(), 'cxr-manifest-binding-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shipped bundle (its files linked, not copied) with one role's input renamed in the manifest. */
function misnamedBundle(role: 'segmenter' | 'classifier'): string {
  const shipped = defaultBundleDir();
  const dir = mkdtempSync(join(work, `${role}-`));
  for (const name of readdirSync(shipped)) if (name !== 'manifest.json') symlinkSync(join(shipped, name), join(dir, name));
  const manifest = JSON.parse(readFileSync(join(shipped, 'manifest.json'), 'utf8'));
  manifest.models[role].inputs[0].name = 'pixels';
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

const refusal = (role: string) => `${role}: the manifest names input "pixels", the model's inputs are [image]`;

describe('a manifest that misnames an image model\'s input is refused before any image', () => {
  it('judge (each judge\'s classifier and segmenter)', async () => {
    const synthetic = join(work, 'generated');
    mkdirSync(join(synthetic, 'provenance'), { recursive: true });
    mkdirSync(join(synthetic, 'images'), { recursive: true });
    copyFileSync(resolve(import.meta.dirname, '../public/examples/images/kermany_person121_bacteria_576.png'), join(synthetic, 'images', 'a.png'));
    writeFileSync(join(synthetic, 'provenance', 'a.json'), JSON.stringify({ generation: { prompt: 'chest x-ray, pneumonia, adult' } }));
    const thresholds = { minFindingProbability: 0.5, minMaskDice: 0.7 };
    for (const role of ['classifier', 'segmenter'] as const) {
      await expect(judgeImages({ synthetic, judges: [{ modelDir: misnamedBundle(role), variant: 'fp32' }], thresholds })).rejects.toThrow(refusal(role));
    }
  });

  it('augment-experiment, both tasks: the model is opened before the images are read', async () => {
    const missing = join(work, 'not-read');
    await expect(augmentExperiment(['--real', missing, '--synthetic', missing, '--model-dir', misnamedBundle('classifier')])).rejects.toThrow(refusal('classifier'));
    await expect(augmentExperiment(['--task', 'segmentation', '--real', missing, '--synthetic', missing, '--model-dir', misnamedBundle('segmenter')])).rejects.toThrow(refusal('segmenter'));
  });

  it('batch run\'s proxy filter', async () => {
    for (const role of ['classifier', 'segmenter'] as const) {
      const dir = misnamedBundle(role);
      await expect(openBatchModels(dir, readBundle(dir), { device: 'cpu', threads: 1, log: () => {} })).rejects.toThrow(refusal(role));
    }
  }, 120_000);
});
