import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel, readBundle } from '../../../cli/bundle.ts';
import type { NodeRunner } from '../../../cli/nodeRunner.ts';
import { readF32 } from '../../../cli/testing/referenceBundle.ts';
import type { Manifest } from '../manifest/types.ts';
import { maskFromPixels } from '../mask/maskFromPixels.ts';
import { PromptTokenizer } from '../text/tokenizer.ts';
import { generateImage, type GenerateRunners } from './generate.ts';
import { buildMaskCond, type MaskLayer } from './maskCond.ts';

// The project's own generator (public/models/cxr-studio-v1) against the PyTorch
// reference sampler on the same weights and the same initial noise
// (fixtures/cxr-studio-v1, made by training/golden/golden_generate.py). Tolerance 1e-2 on the
// [0,1] image and on the latents: ONNX Runtime and PyTorch differ in summation order.
const BUNDLE = resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1');
const GOLDEN = resolve(import.meta.dirname, 'fixtures/cxr-studio-v1');
// The same run with a negative prompt (golden_generate.py --negative-prompt); it shares GOLDEN's noise and mask_cond.
const NEGATIVE = resolve(import.meta.dirname, 'fixtures/cxr-studio-v1-negative');

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function exampleLung(): MaskLayer {
  const png = decode(readFileSync(join(BUNDLE, 'examples/lung_mean_shenzhen.png')));
  return { layer: 'lung', side: 256, data: maskFromPixels(png, 256), convention: 'shenzhen' };
}

describe('cxr-studio-v1 generator matches its PyTorch reference run', () => {
  let manifest: Manifest;
  let tokenizer: PromptTokenizer;
  let runners: GenerateRunners & Record<string, NodeRunner>;
  const golden = JSON.parse(readFileSync(join(GOLDEN, 'golden.json'), 'utf8'));

  beforeAll(async () => {
    manifest = readBundle(BUNDLE);
    tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(BUNDLE, 'tokenizer.json'), 'utf8')), manifest.tokenizer!);
    runners = {
      textEncoder: await openModel(BUNDLE, manifest, 'text_encoder'),
      unet: await openModel(BUNDLE, manifest, 'unet'),
      vaeDecoder: await openModel(BUNDLE, manifest, 'vae_decoder'),
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(runners ?? {}).map((r) => r.release()));
  });

  it('builds the 5-channel mask_cond of the golden run exactly', () => {
    expect(existsSync(join(BUNDLE, 'manifest.json'))).toBe(true);
    const { mask_channels: channels, mask_pool: pool } = manifest.diffusion!;
    expect(buildMaskCond(channels, [exampleLung()], 256, pool)).toEqual(readF32(join(GOLDEN, 'mask_cond.f32')));
  });

  it('reproduces the golden image: 20 DDIM steps, guidance 3, seed 1234', async () => {
    const result = await generateImage(manifest, tokenizer, runners, {
      prompt: golden.prompt,
      seed: golden.seed,
      steps: golden.steps,
      guidance: golden.guidance_scale,
      scheduler: 'ddim',
      masks: [exampleLung()],
    });
    expect(result.inputIds).toEqual(golden.input_ids);
    expect(result.timesteps).toEqual(golden.timesteps);
    const latentDiff = maxAbsDiff(result.latents, readF32(join(GOLDEN, 'latents_final.f32')));
    const imageDiff = maxAbsDiff(result.image01, readF32(join(GOLDEN, 'image01.f32')));
    console.info(`cxr-studio-v1 parity: max |latents - torch| = ${latentDiff.toExponential(2)}, max |image01 - torch| = ${imageDiff.toExponential(2)}`);
    expect(latentDiff).toBeLessThanOrEqual(1e-2);
    expect(imageDiff).toBeLessThanOrEqual(1e-2);
  });

  it('reproduces the negative-prompt golden: the unconditional pass gets "chest x-ray, pneumonia" instead of padding', async () => {
    const negativeGolden = JSON.parse(readFileSync(join(NEGATIVE, 'golden.json'), 'utf8'));
    const result = await generateImage(manifest, tokenizer, runners, {
      prompt: negativeGolden.prompt,
      negativePrompt: negativeGolden.negative_prompt,
      seed: negativeGolden.seed,
      steps: negativeGolden.steps,
      guidance: negativeGolden.guidance_scale,
      scheduler: 'ddim',
      masks: [exampleLung()],
    });
    expect(result.negative).toEqual({ inputIds: negativeGolden.negative_input_ids, unknownWords: [], truncated: false });
    const imageDiff = maxAbsDiff(result.image01, readF32(join(NEGATIVE, 'image01.f32')));
    const latentDiff = maxAbsDiff(result.latents, readF32(join(NEGATIVE, 'latents_final.f32')));
    // The negative prompt must matter: this image differs from the plain golden by up to 0.21.
    const fromPlain = maxAbsDiff(result.image01, readF32(join(GOLDEN, 'image01.f32')));
    console.info(`negative prompt parity: max |latents - torch| = ${latentDiff.toExponential(2)}, max |image01 - torch| = ${imageDiff.toExponential(2)}; vs the plain golden ${fromPlain.toFixed(3)}`);
    expect(latentDiff).toBeLessThanOrEqual(1e-2);
    expect(imageDiff).toBeLessThanOrEqual(1e-2);
    expect(fromPlain).toBeGreaterThan(0.1);
  });

  it('refuses a negative prompt at guidance 1 (no unconditional pass) before any run; a blank one is no negative prompt', async () => {
    const request = { prompt: golden.prompt, seed: 1, steps: 1, guidance: 1, scheduler: 'ddim' as const, negativePrompt: 'pneumonia' };
    await expect(generateImage(manifest, tokenizer, runners, request)).rejects.toThrow(/negative prompt: guidance 1 has no unconditional pass/);
    const blank = await generateImage(manifest, tokenizer, runners, { ...request, guidance: 3, negativePrompt: '  ' });
    const none = await generateImage(manifest, tokenizer, runners, { ...request, guidance: 3, negativePrompt: undefined });
    expect(blank.negative).toBeUndefined();
    expect(maxAbsDiff(blank.image01, none.image01)).toBe(0);
  });

  it('follows diffusion.uncond_mask: "same" gives another image, an unknown value is refused before any run', async () => {
    expect(manifest.diffusion!.uncond_mask).toBe('none');
    const request = { prompt: golden.prompt, seed: golden.seed, steps: 2, guidance: 3, scheduler: 'ddim' as const, masks: [exampleLung()] };
    const none = await generateImage(manifest, tokenizer, runners, request);
    const same = structuredClone(manifest);
    same.diffusion!.uncond_mask = 'same';
    const withMask = await generateImage(same, tokenizer, runners, request);
    expect(maxAbsDiff(none.image01, withMask.image01)).toBeGreaterThan(1e-3);
    const bad = structuredClone(manifest) as unknown as { diffusion: { uncond_mask: string } };
    bad.diffusion.uncond_mask = 'zeros';
    await expect(generateImage(bad as unknown as Manifest, tokenizer, runners, request)).rejects.toMatchObject({ code: 'model-io-mismatch' });
  });
});
