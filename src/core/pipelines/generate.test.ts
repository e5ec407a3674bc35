import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRunner, type NodeRunner } from '../../../cli/nodeRunner.ts';
import { readF32, REFERENCE_DIR, referenceManifest, referencePresent } from '../../../cli/testing/referenceBundle.ts';
import type { Manifest } from '../manifest/types.ts';
import { maskFromPixels } from '../mask/maskFromPixels.ts';
import type { Runner } from '../runner.ts';
import { PromptTokenizer } from '../text/tokenizer.ts';
import { checkGenerateRequest, generateImage, type GenerateProgress, type GenerateRunners } from './generate.ts';
import { buildMaskCond, type MaskLayer } from './maskCond.ts';
import { countNonFinite } from '../tensor/checkTensor.ts';
import { cxr256 } from '../../../cli/testing/shared.ts';

const GOLDEN = join(REFERENCE_DIR, 'golden');
const GOLDEN_MASK = cxr256('shenzhen_tb_lungseg/masks/CHNCXR_0009_0.png');
const haveModels = referencePresent() && existsSync(join(GOLDEN, 'golden.json'));
const haveMask = existsSync(GOLDEN_MASK);
if (!haveModels) console.warn(`generate pipeline tests skipped: reference models not found at ${REFERENCE_DIR}`);
if (!haveMask) console.warn(`golden parity test skipped: its conditioning mask ${GOLDEN_MASK} is not present`);

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function goldenLungMask(): MaskLayer {
  const png = decode(readFileSync(GOLDEN_MASK));
  return { layer: 'lung', side: 256, data: maskFromPixels(png, 256) };
}

describe.skipIf(!haveModels)('generate pipeline on reference-v0 (onnxruntime-node)', () => {
  let manifest: Manifest;
  let tokenizer: PromptTokenizer;
  let runners: GenerateRunners & Record<string, NodeRunner>;
  const golden = haveModels ? JSON.parse(readFileSync(join(GOLDEN, 'golden.json'), 'utf8')) : {};

  beforeAll(async () => {
    manifest = referenceManifest();
    tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(REFERENCE_DIR, 'tokenizer.json'), 'utf8')), manifest.tokenizer!);
    runners = {
      textEncoder: await createNodeRunner(join(REFERENCE_DIR, 'text_encoder.onnx')),
      unet: await createNodeRunner(join(REFERENCE_DIR, 'unet.onnx')),
      vaeDecoder: await createNodeRunner(join(REFERENCE_DIR, 'vae_decoder.onnx')),
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(runners ?? {}).map((r) => r.release()));
  });

  it.skipIf(!haveMask)('stage 4 builds the golden mask_cond from the 256x256 lung mask, exactly', () => {
    const { mask_channels: channels, mask_pool: pool } = manifest.diffusion!;
    const maskCond = buildMaskCond(channels, [goldenLungMask()], 256, pool);
    expect(maskCond).toEqual(readF32(join(GOLDEN, 'mask_cond.f32')));
  });

  it.skipIf(!haveMask)('reproduces the golden run: 20 DDIM steps, guidance 3, seed 1234, Shenzhen lung mask', async () => {
    const events: GenerateProgress[] = [];
    const result = await generateImage(
      manifest,
      tokenizer,
      runners,
      { prompt: golden.prompt, seed: golden.seed, steps: 20, guidance: golden.guidance_scale, scheduler: 'ddim', masks: [goldenLungMask()] },
      { onProgress: (e) => events.push(e) },
    );
    expect(result.inputIds).toEqual(golden.input_ids);
    expect(result.timesteps).toEqual(golden.timesteps);
    const latentDiff = maxAbsDiff(result.latents, readF32(join(GOLDEN, 'latents_final.f32')));
    const imageDiff = maxAbsDiff(result.image01, readF32(join(GOLDEN, 'image01.f32')));
    console.info(`golden parity: max |latents - golden| = ${latentDiff.toExponential(2)}, max |image01 - golden| = ${imageDiff.toExponential(2)}, ${result.elapsedMs.toFixed(0)} ms`);
    expect(imageDiff).toBeLessThanOrEqual(1e-2);
    expect(latentDiff).toBeLessThanOrEqual(1e-2);
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events.at(-1)?.type).toBe('done');
  });

  it('gives the identical image for the same seed and settings, and another for another seed', async () => {
    const request = { prompt: 'chest x-ray, pneumonia, adult', seed: 99, steps: 3, guidance: 3, scheduler: 'dpmpp2m' as const };
    const a = await generateImage(manifest, tokenizer, runners, request);
    const b = await generateImage(manifest, tokenizer, runners, request);
    const c = await generateImage(manifest, tokenizer, runners, { ...request, seed: 100 });
    expect(b.image01).toEqual(a.image01);
    expect(maxAbsDiff(a.image01, c.image01)).toBeGreaterThan(0.1);
  });

  it('DPM-Solver++ 2M and DDIM at 20 steps land on nearly the same image (same ODE)', async () => {
    const request = { prompt: 'chest x-ray, no finding, adult', seed: 5, steps: 20, guidance: 3 };
    const ddim = await generateImage(manifest, tokenizer, runners, { ...request, scheduler: 'ddim' });
    const dpm = await generateImage(manifest, tokenizer, runners, { ...request, scheduler: 'dpmpp2m' });
    const meanAbs = ddim.image01.reduce((s, v, i) => s + Math.abs(v - dpm.image01[i]), 0) / ddim.image01.length;
    console.info(`DDIM vs DPM-Solver++ 2M, 20 steps: mean |diff| = ${meanAbs.toFixed(4)} on [0,1]`);
    expect(meanAbs).toBeLessThan(0.05);
  });

  it('stops between steps when the signal aborts, with code "aborted"', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = generateImage(manifest, tokenizer, runners, { prompt: '', seed: 1, steps: 10, guidance: 3, scheduler: 'ddim' }, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type !== 'step') return;
        seen.push(e.step);
        if (e.step === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(seen).toEqual([1, 2]);
  });

  it('gives a cancel that arrives while a step runs its chance before the next step (betweenSteps)', async () => {
    const controller = new AbortController();
    let boundaries = 0;
    const seen: number[] = [];
    const run = generateImage(manifest, tokenizer, runners, { prompt: '', seed: 1, steps: 10, guidance: 3, scheduler: 'ddim' }, {
      signal: controller.signal,
      onProgress: (e) => e.type === 'step' && seen.push(e.step),
      betweenSteps: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (++boundaries === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(seen).toEqual([1]);
  });

  it('stops with which model and which step when a model gives NaN (a float16 overflow, a broken GPU kernel), instead of a black image', async () => {
    // the real models, with NaN written over part of one run's output, as an overflowing variant gives it
    const poisonRun = (r: Runner, at: number): Runner => {
      let runs = 0;
      return {
        run: async (feeds) => {
          const outputs = await r.run(feeds);
          if (++runs !== at) return outputs;
          const [name, tensor] = Object.entries(outputs)[0];
          const data = Float32Array.from(tensor.data as Float32Array, (v, i) => (i % 4 === 0 ? Number.NaN : v));
          return { ...outputs, [name]: { ...tensor, data } };
        },
      };
    };
    const request = { prompt: 'chest x-ray, pneumonia, adult', seed: 3, steps: 4, guidance: 3, scheduler: 'ddim' as const };
    const steps: number[] = [];
    const unetNaN = generateImage(manifest, tokenizer, { ...runners, unet: poisonRun(runners.unet, 2) }, request, { onProgress: (e) => e.type === 'step' && steps.push(e.step) });
    await expect(unetNaN).rejects.toMatchObject({ code: 'inference-failed' });
    await expect(unetNaN).rejects.toThrow(/^unet: 2048 of the 8192 values it gave at step 2 of 4 are not numbers \(NaN or infinity\); a float16 variant can overflow where fp32 does not/);
    expect(steps).toEqual([1]);
    await expect(generateImage(manifest, tokenizer, { ...runners, vaeDecoder: poisonRun(runners.vaeDecoder, 1) }, request))
      .rejects.toThrow(/^VAE decoder: 16384 of the 65536 values it gave for this image are not numbers/);
    // the same runners, unpoisoned, make the image
    expect(countNonFinite((await generateImage(manifest, tokenizer, runners, request)).image01)).toBe(0);
  });

  it('checks inputs before the first session run, naming what it got and what it expected', async () => {
    let runs = 0;
    const counting = (r: Runner): Runner => ({ run: (feeds) => (runs++, r.run(feeds)) });
    const watched = { textEncoder: counting(runners.textEncoder), unet: counting(runners.unet), vaeDecoder: counting(runners.vaeDecoder) };
    const base = { prompt: 'chest x-ray', seed: 1, steps: 2, guidance: 3, scheduler: 'ddim' as const };
    await expect(generateImage(manifest, tokenizer, watched, { ...base, steps: 0 })).rejects.toThrow(/steps: expected an integer in 1\.\.1000, received 0/);
    await expect(generateImage(manifest, tokenizer, watched, { ...base, seed: -3 })).rejects.toThrow(/received -3/);
    const small: MaskLayer = { layer: 'lung', side: 128, data: new Uint8Array(128 * 128) };
    await expect(generateImage(manifest, tokenizer, watched, { ...base, masks: [small] })).rejects.toMatchObject({ code: 'image-unsupported' });
    const lesion: MaskLayer = { layer: 'lesion', side: 256, data: new Uint8Array(256 * 256) };
    expect(() => checkGenerateRequest(manifest, { ...base, masks: [lesion] })).toThrow(/this model takes \[lung\]/);
    const fiveChannels = structuredClone(manifest);
    fiveChannels.diffusion!.mask_channels.push({ name: 'lesion', kind: 'mask', layer: 'lesion' });
    await expect(generateImage(fiveChannels, tokenizer, watched, base)).rejects.toMatchObject({ code: 'model-io-mismatch' });
    expect(runs).toBe(0);
  });
});
