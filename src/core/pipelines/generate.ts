import { InferenceError, ImageError, StudioError } from '../errors.ts';
import type { Manifest, ModelSpec, UnetRole } from '../manifest/types.ts';
import { standardNormal } from '../rng.ts';
import { float32Tensor, int64Tensor, type Runner, type TensorMap, type Tensorish } from '../runner.ts';
import { applyGuidance } from '../schedulers/guidance.ts';
import { createScheduler, SCHEDULER_NAMES, type SchedulerName } from '../schedulers/index.ts';
import { guidanceInput, readGeneratorSpec, unetInputs, type GeneratorSpec } from './generatorSpec.ts';
import type { PromptTokenizer } from '../text/tokenizer.ts';
import { buildMaskCond, type MaskLayer } from './maskCond.ts';
import { countNonFinite } from '../tensor/checkTensor.ts';

/** The sessions a text-to-image run needs, behind the Runner seam. */
export interface GenerateRunners {
  textEncoder: Runner;
  unet: Runner;
  /** The manifest's `unet_guided`, opened by hosts that may run it. */
  unetGuided?: Runner;
  vaeDecoder: Runner;
}

/** The runner of a UNet role, or a clear error when the host did not open it. */
export function unetRunner(runners: GenerateRunners, role: UnetRole): Runner {
  const runner = role === 'unet_guided' ? runners.unetGuided : runners.unet;
  if (!runner) throw new StudioError('model-missing', `the ${role} model is not loaded`);
  return runner;
}

export interface GenerateRequest {
  prompt: string;
  seed: number;
  steps: number;
  guidance: number;
  scheduler: SchedulerName;
  /** Zero or more mask layers; absent layers are the model's "no mask" state. */
  masks?: readonly MaskLayer[];
  /**
   * What guidance steers away from: the unconditional pass gets this prompt instead of
   * all padding (diffusers' `negative_prompt`). Empty or absent: all padding. Needs
   * guidance other than 1, which has no unconditional pass, and the two-pass UNet.
   */
  negativePrompt?: string;
  /** Which of the manifest's UNets denoises; absent: `unet`. */
  unet?: UnetRole;
}

export type GenerateStage = 'check' | 'tokenize' | 'encode-text' | 'mask' | 'noise' | 'denoise' | 'decode';

/** Progress is data, so it crosses a worker boundary as is. */
export type GenerateProgress =
  | { type: 'stage'; stage: GenerateStage }
  | { type: 'step'; step: number; total: number; timestep: number; elapsedMs: number }
  | { type: 'done'; elapsedMs: number };

export interface GenerateResult {
  /** [1, 1, side, side] in [0, 1]. */
  image01: Float32Array;
  side: number;
  /** Final UNet-space latents (scaled), [1, C, h, w]. */
  latents: Float32Array;
  inputIds: number[];
  /** Prompt words the vocabulary does not know; the model saw [UNK] for them. */
  unknownWords: string[];
  promptTruncated: boolean;
  /** The negative prompt as the model saw it, when one was given. */
  negative?: { inputIds: number[]; unknownWords: string[]; truncated: boolean };
  timesteps: number[];
  elapsedMs: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onProgress?: (event: GenerateProgress) => void;
  now?: () => number;
  /**
   * Awaited before each step. A worker passes a macrotask yield here: ORT's WASM runs
   * resolve without giving the event loop a turn, so a cancel message would otherwise
   * wait until the whole image is done.
   */
  betweenSteps?: () => Promise<void>;
}

/** Upper bound on the guidance scale: beyond it images saturate, and it catches typos like 30 for 3.0. */
export const MAX_GUIDANCE = 20;

/**
 * Text (+ mask) -> image with classifier-free guidance, read top to bottom in stages,
 * after diffusers' StableDiffusion pipelines. The same code runs over onnxruntime-web
 * in a worker and onnxruntime-node in the CLI: it only sees `Runner`s. A guided student
 * (a UNet with a `guidance` input) makes the guidance in one pass: batch 1, no
 * unconditional row.
 */
export async function generateImage(
  manifest: Manifest,
  tokenizer: PromptTokenizer,
  runners: GenerateRunners,
  request: GenerateRequest,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const { signal, onProgress = () => {}, now = () => performance.now(), betweenSteps } = options;
  const started = now();

  // 1. Check inputs: everything that can be wrong is caught before the first session.run.
  onProgress({ type: 'stage', stage: 'check' });
  const spec = readGeneratorSpec(manifest, request.unet);
  checkRequest(request, spec);
  const unet = unetRunner(runners, spec.unetRole);
  throwIfAborted(signal);

  // 2. Tokenize the prompt; the unconditional prompt is the negative prompt, or all padding.
  onProgress({ type: 'stage', stage: 'tokenize' });
  const tokenized = tokenizer.encode(request.prompt);
  const negative = hasNegativePrompt(request) ? tokenizer.encode(request.negativePrompt) : undefined;
  const useGuidance = request.guidance !== 1 && !spec.guided;
  const batch = useGuidance ? 2 : 1;
  const idRows = useGuidance ? [tokenized.ids, negative?.ids ?? tokenizer.emptyIds()] : [tokenized.ids];

  // 3. Encode text: conditional and unconditional in one batch, [cond, uncond].
  onProgress({ type: 'stage', stage: 'encode-text' });
  const idsInput = spec.textEncoder.inputs[0];
  const textOut = await runChecked(runners.textEncoder, 'text encoder', spec.textEncoder, {
    [idsInput.name]: int64Tensor(BigInt64Array.from(idRows.flat(), BigInt), [batch, tokenizer.maxLength]),
  });
  const hiddenStates = textOut[spec.textEncoder.outputs[0].name];
  throwIfAborted(signal);

  // 4. Build mask_cond from the manifest's mask channels: [cond, uncond] rows, where the
  //    unconditional row repeats the mask or, with uncond_mask "none", is the no-mask state.
  onProgress({ type: 'stage', stage: 'mask' });
  const { diffusion } = spec;
  const maskCond = buildMaskCond(diffusion.mask_channels, request.masks ?? [], spec.maskSide, diffusion.mask_pool);
  const maskCondBatch = useGuidance && spec.uncondMask === 'none'
    ? concatRows(maskCond, new Float32Array(maskCond.length))
    : repeatRows(maskCond, batch);

  // 5. Initial noise from the seed (scheduler init sigma is 1 for DDIM and DPM-Solver).
  onProgress({ type: 'stage', stage: 'noise' });
  const latentDims = [1, spec.latentChannels, spec.latentSize, spec.latentSize];
  let latents: Float32Array = standardNormal(request.seed, spec.latentChannels * spec.latentSize ** 2);

  // 6. Denoising loop: one UNet run per step (batch 2 for guidance, 1 for guidance 1 or a
  //    guided student, which takes the scale as an input), then guidance and the scheduler step.
  onProgress({ type: 'stage', stage: 'denoise' });
  const scheduler = createScheduler(request.scheduler, spec.schedule);
  scheduler.setTimesteps(request.steps);
  const timesteps = [...scheduler.timesteps];
  const [sampleIn, timestepIn, contextIn, maskIn] = unetInputs(spec.unet);
  const batchDims = [batch, ...latentDims.slice(1)];
  const guidanceIn = guidanceInput(spec.unet);
  const guidanceFeed: TensorMap = guidanceIn ? { [guidanceIn.name]: float32Tensor(Float32Array.of(request.guidance), [1]) } : {};
  for (const [i, t] of timesteps.entries()) {
    await betweenSteps?.();
    throwIfAborted(signal);
    const feeds: TensorMap = {
      [sampleIn.name]: float32Tensor(repeatRows(latents, batch), batchDims),
      [timestepIn.name]: float32Tensor(new Float32Array(batch).fill(t), [batch]),
      [contextIn.name]: hiddenStates,
      [maskIn.name]: float32Tensor(maskCondBatch, [batch, diffusion.mask_channels.length, spec.latentSize, spec.latentSize]),
      ...guidanceFeed,
    };
    const out = await runChecked(unet, spec.unetRole, spec.unet, feeds, `at step ${i + 1} of ${timesteps.length}`);
    const noisePred = out[spec.unet.outputs[0].name].data as Float32Array;
    const eps = useGuidance ? applyGuidance(noisePred, request.guidance) : noisePred;
    latents = scheduler.step(eps, t, latents);
    onProgress({ type: 'step', step: i + 1, total: timesteps.length, timestep: t, elapsedMs: now() - started });
  }
  throwIfAborted(signal);

  // 7. Decode: the VAE works on unscaled latents.
  onProgress({ type: 'stage', stage: 'decode' });
  const unscaled = latents.map((v) => v / diffusion.scaling_factor);
  const decoderIn = spec.vaeDecoder.inputs[0];
  const decoded = await runChecked(runners.vaeDecoder, 'VAE decoder', spec.vaeDecoder, {
    [decoderIn.name]: float32Tensor(unscaled, latentDims),
  });
  const image = decoded[spec.vaeDecoder.outputs[0].name];

  // 8. Post-process: [-1, 1] -> [0, 1].
  const image01 = (image.data as Float32Array).map((x) => Math.min(1, Math.max(0, (x + 1) / 2)));
  const elapsedMs = now() - started;
  onProgress({ type: 'done', elapsedMs });
  return {
    image01,
    side: image.dims[image.dims.length - 1],
    latents,
    inputIds: tokenized.ids,
    unknownWords: tokenized.unknown,
    promptTruncated: tokenized.truncated,
    ...(negative ? { negative: { inputIds: negative.ids, unknownWords: negative.unknown, truncated: negative.truncated } } : {}),
    timesteps,
    elapsedMs,
  };
}

function hasNegativePrompt(request: GenerateRequest): request is GenerateRequest & { negativePrompt: string } {
  return typeof request.negativePrompt === 'string' && request.negativePrompt.trim() !== '';
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('aborted', 'generation cancelled between denoising steps');
}

function concatRows(...rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let offset = 0;
  for (const r of rows) {
    out.set(r, offset);
    offset += r.length;
  }
  return out;
}

function repeatRows(row: Float32Array, times: number): Float32Array {
  if (times === 1) return row;
  const out = new Float32Array(row.length * times);
  for (let i = 0; i < times; i++) out.set(row, i * row.length);
  return out;
}

/**
 * One model run whose first output must be there, float32 and numbers: NaN or infinity (a float16
 * variant that overflows, a GPU kernel gone wrong) would end as a black or noise image in the
 * gallery without a word, so it stops the image here, saying which model and when.
 */
async function runChecked(runner: Runner, role: string, spec: ModelSpec, feeds: TensorMap, when = 'for this image'): Promise<TensorMap> {
  const outputs = await runner.run(feeds);
  const name = spec.outputs[0].name;
  const tensor: Tensorish | undefined = outputs[name];
  if (!tensor) {
    throw new InferenceError('model-io-mismatch', `${role}: expected an output named "${name}", received [${Object.keys(outputs).join(', ')}]`);
  }
  if (tensor.type !== 'float32') {
    throw new InferenceError('model-io-mismatch', `${role} "${name}": expected float32, received ${tensor.type}`);
  }
  const bad = countNonFinite(tensor.data as Float32Array);
  if (bad) {
    throw new InferenceError('inference-failed', `${role}: ${bad} of the ${tensor.data.length} values it gave ${when} are not numbers (NaN or infinity); a float16 variant can overflow where fp32 does not, and a GPU kernel can go wrong: the fp32 models on WASM (Settings) are the reference`);
  }
  return outputs;
}

/**
 * Stage 1 on its own, so the UI and the CLI can refuse a request before loading
 * models. Throws with what was received and what was expected.
 */
export function checkGenerateRequest(manifest: Manifest, request: GenerateRequest): void {
  checkRequest(request, readGeneratorSpec(manifest, request.unet));
}

function checkRequest(request: GenerateRequest, spec: GeneratorSpec): void {
  const { diffusion, maskSide } = spec;
  const bad = (detail: string) => new RangeError(`generate: ${detail}`);
  if (typeof request.prompt !== 'string') throw bad(`prompt: expected a string, received ${typeof request.prompt}`);
  if (request.negativePrompt !== undefined && typeof request.negativePrompt !== 'string') {
    throw bad(`negative prompt: expected a string, received ${typeof request.negativePrompt}`);
  }
  if (!Number.isInteger(request.seed) || request.seed < 0 || request.seed > 0xffffffff) {
    throw bad(`seed: expected an integer in 0..4294967295, received ${request.seed}`);
  }
  if (!Number.isInteger(request.steps) || request.steps < 1 || request.steps > diffusion.num_train_timesteps) {
    throw bad(`steps: expected an integer in 1..${diffusion.num_train_timesteps}, received ${request.steps}`);
  }
  if (!Number.isFinite(request.guidance) || request.guidance < 0 || request.guidance > MAX_GUIDANCE) {
    throw bad(`guidance: expected a number in 0..${MAX_GUIDANCE}, received ${request.guidance}`);
  }
  if (hasNegativePrompt(request) && spec.guided) {
    throw bad(`negative prompt: the one-pass UNet (${spec.unetRole}) has no unconditional pass to put it in; clear the negative prompt or choose the two-pass UNet`);
  }
  if (hasNegativePrompt(request) && request.guidance === 1) {
    throw bad('negative prompt: guidance 1 has no unconditional pass to put it in; set guidance above 1 or clear the negative prompt');
  }
  if (!SCHEDULER_NAMES.includes(request.scheduler)) {
    throw bad(`scheduler: expected one of [${SCHEDULER_NAMES.join(', ')}], received "${request.scheduler}"`);
  }
  const layers = new Set(diffusion.mask_channels.map((c) => c.layer));
  for (const mask of request.masks ?? []) {
    if (!layers.has(mask.layer)) {
      throw new ImageError('image-unsupported', `mask layer "${mask.layer}": this model takes [${[...layers].join(', ')}]`);
    }
    if (mask.side !== maskSide || mask.data.length !== maskSide * maskSide) {
      throw new ImageError('image-unsupported', `mask "${mask.layer}": expected ${maskSide}x${maskSide} = ${maskSide ** 2} pixels, received side ${mask.side} with ${mask.data.length} pixels`);
    }
    if (mask.data.some((v) => v > 1)) throw new ImageError('image-unsupported', `mask "${mask.layer}": expected 0/1 values, received values above 1`);
  }
}
