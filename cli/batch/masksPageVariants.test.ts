import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workItems } from '../../src/core/batch/workItems.ts';
import { readMask } from '../../src/core/generation/index.ts';
import { decodeMaskPng } from '../../src/core/mask/maskPng.ts';
import { DEFAULT_VARIANT_RANGES } from '../../src/core/mask/variants.ts';
import { masksJobFiles } from '../../src/features/batch/masksJob.ts';
import { useGenerate } from '../../src/features/generate/generateStore.ts';
import { MASK_SIDE, useMasks } from '../../src/features/masks/maskStore.ts';
import { makeVariants } from '../../src/features/masks/variantActions.ts';
import { readBundle } from '../bundle.ts';
import { itemMask, loadJob } from './jobFiles.ts';

// The Masks page's variants (makeVariants on the page's store) against the masks
// `batch run` conditions on for the job the page exports: the same rasters, bit for bit.
const BUNDLE = resolve(import.meta.dirname, '../../public/models/cxr-studio-v1');
const work = mkdtempSync(join(tmpdir(), 'cxr-masks-job-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeJob(files: Record<string, Uint8Array>, folder: string): string {
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), bytes);
  }
  return join(folder, 'spec.json');
}

describe('Export as batch job on the Masks page', () => {
  const manifest = readBundle(BUNDLE);
  const example = readMask({ name: 'lung_mean_shenzhen.png', bytes: new Uint8Array(readFileSync(join(BUNDLE, 'examples/lung_mean_shenzhen.png'))), layer: 'lung' }, manifest);
  const filter = { minFindingProbability: 0.5, minMaskDice: 0.7 };

  it('carries the recipe of the variants shown, and batch run remakes exactly those masks', async () => {
    expect(example.side).toBe(MASK_SIDE);
    const ranges = { ...DEFAULT_VARIANT_RANGES, rotateDeg: [-15, 15] as [number, number], flipXChance: 0.5, elasticStrength: [1, 6] as [number, number] };
    useMasks.getState().set({ layers: { lung: example.data.slice(), lesion: new Uint8Array(MASK_SIDE * MASK_SIDE) }, conventions: { lung: 'shenzhen' }, ranges, variantCount: 5, variantSeed: 77 });
    makeVariants();
    const shown = useMasks.getState().variants;
    expect(shown).toHaveLength(5);
    // edits after "Make variants" (a range, N, the mask) change nothing of the job: it follows what the page shows
    useMasks.getState().set({ ranges: DEFAULT_VARIANT_RANGES, variantCount: 2, variantSeed: 3 });
    useMasks.getState().layers.lung.fill(0, 0, MASK_SIDE * 100);

    const settings = { ...useGenerate.getState().settings, prompt: 'chest x-ray, pneumonia, pa view, adult', seed: 40, steps: 2 };
    const files = await masksJobFiles(manifest, useMasks.getState(), settings, 2, filter);
    expect(Object.keys(files).sort()).toEqual(['masks/m1.png', 'spec.json']);
    const job = await loadJob(writeJob(files, join(work, 'variants')), manifest);
    expect(job.spec).toMatchObject({ prompts: [settings.prompt], masks: [{ path: 'masks/m1.png', convention: 'shenzhen' }], variants: { count: 5, seed: 77, ranges }, seeds: { start: 40, count: 2 }, settings: { steps: 2 }, filter });
    expect(job.transforms).toEqual(shown.map((v) => v.transform));

    const items = workItems(job.spec);
    expect(items.map((i) => i.stem)).toEqual([1, 2, 3, 4, 5].flatMap((v) => [40, 41].map((seed) => `p1-m1v${v}-seed${seed}`)));
    for (const item of items) {
      const made = itemMask(job, item, manifest)!;
      expect(made.source.convention).toBe('shenzhen');
      const pageVariant = shown[item.variantIndex!].layers.lung;
      expect(pageVariant.some((v) => v > 0)).toBe(true);
      expect(decodeMaskPng(made.source.bytes, MASK_SIDE, made.source.name)).toEqual(pageVariant);
    }
  });

  it('without variants carries the current lung mask as it is', async () => {
    useMasks.getState().set({ layers: { lung: example.data.slice(), lesion: new Uint8Array(MASK_SIDE * MASK_SIDE) }, conventions: {}, variants: [] });
    const job = await loadJob(writeJob(await masksJobFiles(manifest, useMasks.getState(), useGenerate.getState().settings, 3, filter), join(work, 'plain')), manifest);
    expect(job.spec.variants).toBeUndefined();
    expect(workItems(job.spec)).toHaveLength(3);
    expect(readMask({ name: 'm1.png', bytes: job.masks[0].bytes, layer: 'lung' }, manifest).data).toEqual(example.data);
  });

  it('carries a lesion layer with the lung, transformed by each variant as the page transforms it', async () => {
    const lesion = new Uint8Array(MASK_SIDE * MASK_SIDE);
    for (let y = 150; y < 170; y++) lesion.fill(1, y * MASK_SIDE + 60, y * MASK_SIDE + 80);
    useMasks.getState().set({ layers: { lung: example.data.slice(), lesion }, conventions: {}, ranges: DEFAULT_VARIANT_RANGES, variantCount: 3, variantSeed: 9 });
    makeVariants();
    const shown = useMasks.getState().variants;
    const files = await masksJobFiles(manifest, useMasks.getState(), useGenerate.getState().settings, 1, filter);
    expect(Object.keys(files).sort()).toEqual(['masks/m1-lesion.png', 'masks/m1.png', 'spec.json']);
    const job = await loadJob(writeJob(files, join(work, 'lesion')), manifest);
    expect(job.spec.masks[0].extraLayers).toEqual([{ layer: 'lesion', path: 'masks/m1-lesion.png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    for (const item of workItems(job.spec)) {
      const made = itemMask(job, item, manifest)!;
      const page = shown[item.variantIndex!].layers;
      expect(made.extraMasks.map((m) => m.layer)).toEqual(['lesion']);
      expect(decodeMaskPng(made.extraMasks[0].bytes, MASK_SIDE)).toEqual(page.lesion);
      expect(decodeMaskPng(made.source.bytes, MASK_SIDE)).toEqual(page.lung);
    }
  });

  it('refuses an empty lung layer in words', async () => {
    const blank = new Uint8Array(MASK_SIDE * MASK_SIDE);
    useMasks.getState().set({ layers: { lung: blank, lesion: blank }, variants: [] });
    await expect(masksJobFiles(manifest, useMasks.getState(), useGenerate.getState().settings, 1, filter)).rejects.toThrow('the lung layer is empty');
  });
});
