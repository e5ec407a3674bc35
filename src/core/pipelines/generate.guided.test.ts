import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../../cli/bundle.ts';
import { generateFiles } from '../../../cli/generate.ts';
import { createNodeRunner, type NodeRunner } from '../../../cli/nodeRunner.ts';
import { makeImage, type GenerationRequest, type MaskSource, type OpenGenerator } from '../generation/index.ts';
import type { Manifest, ModelSpec, SamplingPreset } from '../manifest/types.ts';
import { float32Tensor, type Runner, type TensorMap } from '../runner.ts';
import { applyGuidance } from '../schedulers/guidance.ts';
import { PromptTokenizer } from '../text/tokenizer.ts';
import { checkGenerateRequest, generateImage, type GenerateRunners } from './generate.ts';

/**
 * The one-pass path (issue 18) on real weights. A guided student as distill_guidance.py
 * starts it is the shipped UNet plus a guidance MLP whose last layer is zero, so at any
 * scale it gives the teacher's conditional epsilon: eps_u + 1 (eps_c - eps_u) = eps_c.
 * training/export/guided_student.py builds it, prepared as unet.onnx ships (fp16-stored
 * weights, conv_in padded for WebGPU; ~25 MB), into a temp folder; the app's pipeline must
 * then make with it, in one UNet run per step, what the two-pass UNet makes at guidance 1.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const BUNDLE = join(ROOT, 'public/models/cxr-studio-v1');
const CANDIDATES = [process.env.CXR_TRAINING_PYTHON, '/usr/bin/python3', '/work/venv-ort/bin/python'].filter((p): p is string => Boolean(p));
const PYTHON = CANDIDATES.find((p) => existsSync(p) && spawnSync(p, ['-c', 'import torch, onnx']).status === 0);
const skip = !existsSync(join(BUNDLE, 'unet.onnx'))
  ? `skipped: ${BUNDLE}/unet.onnx is absent`
  : !PYTHON
    ? `skipped: no python with torch and onnx among ${CANDIDATES.join(', ')} (set CXR_TRAINING_PYTHON; training/README.md "Set-up")`
    : '';

const STEPS = 3;
const SEED = 7;
const PROMPT = 'chest x-ray, tuberculosis, adult male';
const lungExample = (): MaskSource => ({ name: 'lung_mean_v7.png', bytes: new Uint8Array(readFileSync(join(BUNDLE, 'examples/lung_mean_v7.png'))), layer: 'lung' });
const DRAFT: SamplingPreset = { name: 'draft', label: 'Draft', steps: STEPS, guidance: 5, scheduler: 'ddim', unet: 'unet_guided' };

/** A real runner that records what each run was fed (batch size and guidance), and passes the run on unchanged. */
function counted(runner: Runner): Runner & { calls: Array<{ batch: number; guidance?: number[] }> } {
  const calls: Array<{ batch: number; guidance?: number[] }> = [];
  return {
    calls,
    run: (feeds: TensorMap) => {
      const guidance = feeds.guidance ? [...(feeds.guidance.data as Float32Array)] : undefined;
      calls.push({ batch: feeds.sample.dims[0], ...(guidance ? { guidance } : {}) });
      return runner.run(feeds);
    },
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.skipIf(Boolean(skip))(`the one-pass UNet path with a student fresh from the shipped UNet ${skip}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'cxr-guided-'));
  const bundleDir = join(work, 'bundle');
  let manifest: Manifest;
  let tokenizer: PromptTokenizer;
  const opened: NodeRunner[] = [];
  let runners: GenerateRunners & { unetGuided: Runner };

  beforeAll(async () => {
    // the student and its manifest entry, from the training code; next to links to the real bundle's files
    execFileSync(PYTHON!, ['-m', 'training.export.guided_student', '--bundle', BUNDLE, '--out', bundleDir], { cwd: ROOT, stdio: 'pipe' });
    for (const file of readdirSync(BUNDLE)) if (file !== 'manifest.json') symlinkSync(join(BUNDLE, file), join(bundleDir, file));
    const shipped = readBundle(BUNDLE);
    const entry = JSON.parse(readFileSync(join(bundleDir, 'unet_guided.manifest.json'), 'utf8')) as ModelSpec;
    const best: SamplingPreset = { name: 'best', label: 'Best', ...shipped.diffusion!.defaults };
    const withStudent = { ...shipped, models: { ...shipped.models, unet_guided: entry }, diffusion: { ...shipped.diffusion!, presets: [DRAFT, best] } };
    writeFileSync(join(bundleDir, 'manifest.json'), JSON.stringify(withStudent));
    manifest = readBundle(bundleDir); // the validator takes the entry guided_student.py wrote

    tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(BUNDLE, 'tokenizer.json'), 'utf8')), manifest.tokenizer!);
    const open = async (file: string) => {
      const runner = await createNodeRunner(join(bundleDir, file));
      opened.push(runner);
      return runner;
    };
    runners = { textEncoder: await open('text_encoder.onnx'), unet: await open('unet.onnx'), unetGuided: await open('unet_guided.onnx'), vaeDecoder: await open('vae_decoder.onnx') };
  }, 300_000);
  afterAll(async () => {
    await Promise.all(opened.map((r) => r.release()));
    rmSync(work, { recursive: true, force: true });
  });

  it('one student run equals the two-pass guidance at scale 1 on the same inputs, whatever scale the student is fed', async () => {
    const ids = tokenizer.encode(PROMPT).ids;
    const text = await runners.textEncoder.run({ input_ids: { type: 'int64', data: BigInt64Array.from([...ids, ...tokenizer.emptyIds()], BigInt), dims: [2, tokenizer.maxLength] } });
    const hidden = text.last_hidden_state.data as Float32Array;
    const half = hidden.length / 2;
    const sample = Float32Array.from({ length: 4 * 32 * 32 }, (_, i) => Math.sin(i * 0.37));
    const mask = Float32Array.from({ length: 5 * 32 * 32 }, (_, i) => (i < 2 * 1024 ? 1 : 0));
    const pair = await runners.unet.run({
      sample: float32Tensor(Float32Array.of(...sample, ...sample), [2, 4, 32, 32]),
      timestep: float32Tensor(Float32Array.of(500, 500), [2]),
      encoder_hidden_states: float32Tensor(hidden, [2, tokenizer.maxLength, 256]),
      mask_cond: float32Tensor(Float32Array.of(...mask, ...new Float32Array(mask.length)), [2, 5, 32, 32]),
    });
    const twoPassAtOne = applyGuidance(pair.noise_pred.data as Float32Array, 1);
    const twoPassAtFive = applyGuidance(pair.noise_pred.data as Float32Array, 5);
    for (const scale of [1, 5]) {
      const one = await runners.unetGuided.run({
        sample: float32Tensor(sample, [1, 4, 32, 32]),
        timestep: float32Tensor(Float32Array.of(500), [1]),
        encoder_hidden_states: float32Tensor(hidden.slice(0, half), [1, tokenizer.maxLength, 256]),
        mask_cond: float32Tensor(mask, [1, 5, 32, 32]),
        guidance: float32Tensor(Float32Array.of(scale), [1]),
      });
      const eps = one.noise_pred.data as Float32Array;
      expect(maxAbsDiff(eps, twoPassAtOne)).toBeLessThan(1e-4);
      expect(maxAbsDiff(eps, twoPassAtFive)).toBeGreaterThan(0.05); // the check can tell the paths apart
    }
  });

  it('the pipeline runs the student once per step, batch 1 with the scale fed, and makes the two-pass image at guidance 1', async () => {
    const student = counted(runners.unetGuided);
    const teacher = counted(runners.unet);
    const request: GenerationRequest = { prompt: PROMPT, seed: SEED, steps: STEPS, guidance: 5, scheduler: 'ddim', unet: 'unet_guided', mask: lungExample() };
    const generator: OpenGenerator = { manifest, tokenizer, runners: { ...runners, unet: teacher, unetGuided: student }, engine: 'test' };
    const onePass = await makeImage(generator, request);
    expect(student.calls).toEqual(Array.from({ length: STEPS }, () => ({ batch: 1, guidance: [5] })));
    expect(teacher.calls).toEqual([]);
    expect(onePass.provenance).toMatchObject({ unet: 'unet_guided', preset: 'draft', guidance: 5, steps: STEPS });
    expect(onePass.provenance.model.files.unet_guided.sha256).toBe(manifest.models.unet_guided!.variants.fp32.sha256);
    expect(onePass.provenance.model.files.unet).toBeUndefined();

    const teacherAtOne = await makeImage(generator, { ...request, guidance: 1, unet: undefined });
    expect(teacher.calls.map((c) => c.batch)).toEqual(Array(STEPS).fill(1));
    expect(teacherAtOne.provenance).toMatchObject({ unet: 'unet' });
    expect(teacherAtOne.provenance.preset).toBeUndefined();
    const [a, b] = [decode(onePass.png).data, decode(teacherAtOne.png).data];
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1); // 8-bit gray: at most one level of float rounding

    // the latents themselves, through the pipeline without the PNG's rounding
    const decoded = { prompt: PROMPT, seed: SEED, steps: STEPS, scheduler: 'ddim' as const };
    const viaStudent = await generateImage(manifest, tokenizer, runners, { ...decoded, guidance: 5, unet: 'unet_guided' });
    const viaTeacher = await generateImage(manifest, tokenizer, runners, { ...decoded, guidance: 1 });
    expect(maxAbsDiff(viaStudent.latents, viaTeacher.latents)).toBeLessThan(1e-3);
  }, 300_000);

  it('refuses a negative prompt for the one-pass UNet, saying why, before any run', () => {
    expect(() => checkGenerateRequest(manifest, { prompt: PROMPT, negativePrompt: 'pneumonia', seed: 1, steps: 2, guidance: 5, scheduler: 'ddim', unet: 'unet_guided' }))
      .toThrow('negative prompt: the one-pass UNet (unet_guided) has no unconditional pass to put it in; clear the negative prompt or choose the two-pass UNet');
  });

  it('`cxr-studio generate --preset draft` makes the same image from the bundle folder, its provenance naming the student', async () => {
    const out = join(work, 'cli');
    const [file] = await generateFiles({ prompt: PROMPT, out, masks: [join(BUNDLE, 'examples/lung_mean_v7.png')], seeds: [SEED], preset: 'draft', modelDir: bundleDir, threads: 1 });
    expect(file.provenance).toMatchObject({ unet: 'unet_guided', preset: 'draft', steps: STEPS, guidance: 5, scheduler: 'ddim' });
    const generator: OpenGenerator = { manifest, tokenizer, runners, engine: 'test' };
    const inProcess = await makeImage(generator, { prompt: PROMPT, seed: SEED, steps: STEPS, guidance: 5, scheduler: 'ddim', unet: 'unet_guided', mask: lungExample() });
    expect(maxAbsDiff(decode(readFileSync(file.png)).data, decode(inProcess.png).data)).toBeLessThanOrEqual(1);
  }, 300_000);
});
