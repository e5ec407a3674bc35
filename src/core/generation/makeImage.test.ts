import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGenerator } from '../../../cli/generate.ts';
import { readBundle } from '../../../cli/bundle.ts';
import { readF32 } from '../../../cli/testing/referenceBundle.ts';
import { toGray8 } from '../pipelines/provenance.ts';
import { batchRequest, runGenerationBatch, type GenerationBatch } from './batch.ts';
import { makeImage, type GeneratedImage } from './makeImage.ts';

// The shipped generator and its PyTorch reference run (training/golden/golden_generate.py, the
// fixture generate.v1.test.ts checks the pipeline against), this time through the job
// module as the worker and the CLI call it: the mask as the PNG a user gives, the image
// out as the 8-bit PNG they keep, with its provenance.
const BUNDLE = resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1');
const GOLDEN = resolve(import.meta.dirname, '../pipelines/fixtures/cxr-studio-v1');
const MASK_FILE = join(BUNDLE, 'examples/lung_mean_shenzhen.png');

describe('generation job on cxr-studio-v1', () => {
  const golden = JSON.parse(readFileSync(join(GOLDEN, 'golden.json'), 'utf8'));
  let generator: Awaited<ReturnType<typeof openGenerator>>;
  beforeAll(async () => {
    generator = await openGenerator(BUNDLE, readBundle(BUNDLE));
  });
  afterAll(() => generator?.release());

  it('makes the golden image from the mask PNG, and records what made it', async () => {
    const bytes = new Uint8Array(readFileSync(MASK_FILE));
    const image = await makeImage(generator, {
      prompt: golden.prompt, seed: golden.seed, steps: golden.steps, guidance: golden.guidance_scale, scheduler: 'ddim',
      mask: { name: 'lung_mean_shenzhen.png', bytes, layer: 'lung', convention: 'shenzhen' },
      maskEditor: { source: 'example', rotateDeg: 0 },
    });
    // 8-bit PNG vs the rounded PyTorch image: 1 gray level, a rounding step (measured: 1)
    const pixels = decode(image.png).data;
    const expected = toGray8(readF32(join(GOLDEN, 'image01.f32')));
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(pixels[i] - expected[i]));
    console.info(`job module vs PyTorch, 8-bit image: max |diff| ${worst} gray levels`);
    expect(worst).toBeLessThanOrEqual(1);
    expect(image.side).toBe(256);
    expect(image.mask?.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(image.provenance).toMatchObject({
      prompt: golden.prompt, seed: golden.seed, steps: golden.steps, guidance: golden.guidance_scale, scheduler: 'ddim',
      input_ids: golden.input_ids, engine: 'onnxruntime-node (cpu, fp32)',
      mask: { name: 'lung_mean_shenzhen.png', sha256: createHash('sha256').update(bytes).digest('hex'), layers: [{ layer: 'lung', convention: 'shenzhen' }] },
      mask_editor: { source: 'example', rotateDeg: 0 },
    });
  });

  it('runs a batch mask by mask, seed by seed, and keeps the images made before a cancel', async () => {
    const bytes = new Uint8Array(readFileSync(MASK_FILE));
    const batch: GenerationBatch = {
      settings: { prompt: 'chest x-ray, no finding, adult', steps: 1, guidance: 5, scheduler: 'ddim' },
      seeds: [3, 4],
      masks: [{}, { mask: { name: 'lung.png', bytes, layer: 'lung' } }],
    };
    const kept: Array<{ index: number; image: GeneratedImage }> = [];
    await expect(runGenerationBatch({
      batch,
      indices: [3, 1, 2],
      generate: (request) => makeImage(generator, request),
      onImage: (image, index) => void kept.push({ index, image }),
      isCancelled: () => kept.length === 2,
    })).rejects.toMatchObject({ code: 'aborted' });
    expect(kept.map((k) => [k.index, k.image.provenance.seed, k.image.provenance.mask?.name ?? null])).toEqual([[3, 4, 'lung.png'], [1, 4, null]]);
    // the same index gives the same image again (a resumed job makes what it would have made)
    const again = await makeImage(generator, batchRequest(batch, 3));
    expect(again.png).toEqual(kept[0].image.png);
  });
});
