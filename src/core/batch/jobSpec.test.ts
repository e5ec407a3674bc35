import { describe, expect, it } from 'vitest';
import { DEFAULT_VARIANT_RANGES } from '../mask/variants.ts';
import { BATCH_JOB_FORMAT, BatchSpecError, validateJobSpec, type BatchJobSpec } from './jobSpec.ts';
import { imagesPerSeed, workItems } from './workItems.ts';

const valid: BatchJobSpec = {
  format: BATCH_JOB_FORMAT,
  bundle: { id: 'cxr-studio-v1', fingerprint: 'a'.repeat(64) },
  prompts: ['chest x-ray, pneumonia', 'chest x-ray, no finding'],
  masks: [{ path: 'masks/lung.png', sha256: 'b'.repeat(64), convention: 'shenzhen' }],
  seeds: { start: 10, count: 3 },
  settings: { steps: 20, guidance: 5, scheduler: 'ddim' },
  filter: { minFindingProbability: 0.5, minMaskDice: 0.8 },
};

function problemsOf(json: unknown): string[] {
  try {
    validateJobSpec(json);
  } catch (error) {
    if (error instanceof BatchSpecError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateJobSpec', () => {
  it('accepts a valid spec as it is', () => {
    expect(validateJobSpec(structuredClone(valid))).toEqual(valid);
    const withVariants = { ...valid, variants: { count: 4, seed: 1, ranges: DEFAULT_VARIANT_RANGES }, negativePrompt: 'blurry' };
    expect(validateJobSpec(structuredClone(withVariants))).toEqual(withVariants);
  });

  it('refuses another format before anything else', () => {
    expect(problemsOf({ ...valid, format: 'cxr-studio-batch/2' })).toEqual(['format: expected "cxr-studio-batch/1", received "cxr-studio-batch/2"']);
  });

  it('lists every problem at once, each with where, what was expected and what was received', () => {
    const problems = problemsOf({
      ...valid,
      prompts: [],
      masks: [{ path: '../secret/mask.png', sha256: 'xyz' }],
      seeds: { start: -1, count: 2.5 },
      settings: { steps: 0, guidance: 50, scheduler: 'euler' },
      filter: { minFindingProbability: 1.5, minMaskDice: 0.8 },
      extra: true,
    });
    expect(problems).toEqual([
      'prompts: expected a non-empty list of non-empty strings, received []',
      'masks[0].path: expected a path relative to the spec file, inside its folder, received "../secret/mask.png"',
      'masks[0].sha256: expected 64 lower-case hex digits, received "xyz"',
      'seeds.start: expected a whole number >= 0, received -1',
      'seeds.count: expected a whole number >= 1, received 2.5',
      'settings.steps: expected a whole number >= 1 and <= 1000, received 0',
      'settings.guidance: expected a number >= 0 and <= 20, received 50',
      'settings.scheduler: expected one of [ddim, dpmpp2m], received "euler"',
      'filter.minFindingProbability: expected a number >= 0 and <= 1, received 1.5',
      'extra: not a field of cxr-studio-batch/1 (fields: format, bundle, prompts, negativePrompt, masks, variants, seeds, settings, filter)',
    ]);
  });

  it('takes the UNet a spec names (issue 18), and refuses an unknown one or an unknown settings field', () => {
    expect(validateJobSpec({ ...valid, settings: { ...valid.settings, unet: 'unet_guided' } }).settings.unet).toBe('unet_guided');
    expect(problemsOf({ ...valid, settings: { ...valid.settings, unet: 'unet_small', eta: 0 } })).toEqual([
      'settings.unet: expected one of [unet, unet_guided], received "unet_small"',
      'settings.eta: not a field of cxr-studio-batch/1 (fields: steps, guidance, scheduler, unet)',
    ]);
  });

  it('takes extra mask layers, and refuses a field of a mask it does not know rather than skip it', () => {
    const withLesion = { ...valid, masks: [{ ...valid.masks[0], extraLayers: [{ layer: 'lesion', path: 'masks/m1-lesion.png', sha256: 'c'.repeat(64) }] }] };
    expect(validateJobSpec(structuredClone(withLesion))).toEqual(withLesion);
    expect(problemsOf({ ...valid, masks: [{ ...valid.masks[0], layers: ['lesion'], extraLayers: [{ layer: 'lung', path: '/abs.png', sha256: 'c'.repeat(64), colour: 'red' }] }] })).toEqual([
      'masks[0].layers: not a field of cxr-studio-batch/1 (fields: path, sha256, convention, extraLayers)',
      'masks[0].extraLayers[0].layer: expected a layer name other than "lung" (e.g. "lesion"), received "lung"',
      'masks[0].extraLayers[0].path: expected a path relative to the spec file, inside its folder, received "/abs.png"',
      'masks[0].extraLayers[0].colour: not a field of cxr-studio-batch/1 (fields: layer, path, sha256)',
    ]);
  });

  it('checks the variant recipe and that it has masks to vary', () => {
    const ranges = { ...DEFAULT_VARIANT_RANGES, rotateDeg: [10, -10], flipXChance: 2 };
    expect(problemsOf({ ...valid, masks: [], variants: { count: 0, seed: 1, ranges } })).toEqual([
      'variants.count: expected a whole number >= 1 and <= 10000, received 0',
      'variants.ranges.rotateDeg: expected [min, max] with min <= max, received [10,-10]',
      'variants.ranges.flipXChance: expected a number >= 0 and <= 1, received 2',
      'variants: a variant recipe needs at least one mask in masks',
    ]);
  });

  it('says the message a user reads as a settings problem', () => {
    expect(() => validateJobSpec([])).toThrow(expect.objectContaining({ code: 'settings-invalid', message: 'the batch job spec is not valid:\n  - expected a JSON object, received []' }));
  });
});

describe('workItems', () => {
  it('orders prompt, mask, seed and names each image by indices only', () => {
    expect(workItems(valid).map((w) => w.stem)).toEqual([
      'p1-m1-seed10', 'p1-m1-seed11', 'p1-m1-seed12', 'p2-m1-seed10', 'p2-m1-seed11', 'p2-m1-seed12',
    ]);
    expect(workItems({ ...valid, masks: [] }, { start: 5, count: 1 })).toEqual([
      { stem: 'p1-nomask-seed5', promptIndex: 0, maskIndex: null, variantIndex: null, seed: 5 },
      { stem: 'p2-nomask-seed5', promptIndex: 1, maskIndex: null, variantIndex: null, seed: 5 },
    ]);
  });

  it('expands a variant recipe per mask, and counts images per seed', () => {
    const spec = { ...valid, prompts: ['x'], variants: { count: 2, seed: 1, ranges: DEFAULT_VARIANT_RANGES } };
    expect(workItems(spec, { start: 0, count: 1 }).map((w) => [w.stem, w.variantIndex])).toEqual([['p1-m1v1-seed0', 0], ['p1-m1v2-seed0', 1]]);
    expect(imagesPerSeed(spec)).toBe(2);
    expect(imagesPerSeed(valid)).toBe(2);
  });
});
