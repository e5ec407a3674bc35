/**
 * Model-bundle manifest, as specified in docs/manifest.md. Everything the
 * studio, workers and CLI know about a model's shapes comes from here.
 */

export const MANIFEST_FORMAT = 'cxr-studio-manifest/1';

export const MODEL_ROLES = ['segmenter', 'classifier', 'vae_encoder', 'vae_decoder', 'text_encoder', 'unet', 'unet_guided'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/**
 * The denoisers a bundle may ship: `unet`, the two-pass UNet of classifier-free guidance,
 * and `unet_guided`, a guidance-distilled student that takes the scale as an input and
 * runs once per step (issue 18).
 */
export const UNET_ROLES = ['unet', 'unet_guided'] as const;
export type UnetRole = (typeof UNET_ROLES)[number];

export const MODEL_TASKS = ['segmentation', 'classification', 'vae-encoder', 'vae-decoder', 'text-encoder', 'denoiser'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

export const VARIANT_NAMES = ['fp32', 'fp16', 'int8'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

export const TENSOR_DTYPES = ['float32', 'float16', 'int64', 'int32', 'uint8', 'int8', 'bool'] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];

export const ACTIVATIONS = ['sigmoid', 'softmax', 'none'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface FileRef {
  file: string;
  sha256: string;
  bytes: number;
}

export interface VariantSpec extends FileRef {
  /** Adapter features the variant needs (e.g. "shader-f16"); empty or absent means none. */
  requires?: string[];
}

/** A dimension is a fixed size or a symbolic name such as "batch". */
export type Dim = number | string;

export interface TensorSpec {
  name: string;
  shape: Dim[];
  dtype: TensorDtype;
  range?: [number, number];
}

export interface Preprocess {
  /** Square input side in pixels. */
  size: number;
  channels: number;
  /**
   * x = pixel * scale + offset, pixel in 0..255: one number for every channel, or one per
   * channel (ImageNet's mean and std: scale = 1 / (255 std), offset = -mean / std).
   */
  scale: number | number[];
  offset: number | number[];
  /**
   * Where the channel axis is: 'nchw' [batch, channels, size, size] (PyTorch; the default) or
   * 'nhwc' [batch, size, size, channels] (TensorFlow and Keras exports). A segmenter's output
   * is read in the same order.
   */
  layout?: Layout;
}

export const LAYOUTS = ['nchw', 'nhwc'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface Postprocess {
  activation: Activation;
  threshold?: number;
}

export interface ChannelSpec {
  name: string;
  convention?: string;
}

export interface ModelSpec {
  task: ModelTask;
  variants: { fp32: VariantSpec } & Partial<Record<VariantName, VariantSpec>>;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  preprocess?: Preprocess;
  postprocess?: Postprocess;
  /** Segmentation only: meaning of each output channel, in order. */
  channels?: ChannelSpec[];
  params?: number;
  metrics?: Record<string, unknown>;
}

export interface TokenizerSpec extends FileRef {
  max_length: number;
  pad_id: number;
}

export type MaskChannelKind = 'mask' | 'given' | 'convention';

export interface MaskChannelSpec {
  name: string;
  kind: MaskChannelKind;
  layer: string;
  value?: string;
}

export interface DiffusionSpec {
  latent_shape: [number, number, number];
  scaling_factor: number;
  num_train_timesteps: number;
  beta_schedule: string;
  beta_start: number;
  beta_end: number;
  prediction_type: string;
  mask_pool: number;
  mask_channels: MaskChannelSpec[];
  /**
   * mask_cond of the unconditional pass of classifier-free guidance: "same" (the default
   * when absent) repeats the conditional mask, so guidance strengthens the prompt only;
   * "none" gives the no-mask state (zeros), so guidance strengthens prompt and mask.
   */
  uncond_mask?: 'same' | 'none';
  defaults: SamplingSettings;
  /**
   * Optional quicker settings, measured like the defaults, that the Generate page offers
   * next to them (e.g. DPM-Solver++ 2M at half the UNet runs); `measured` says what they gave.
   * Ignored by the page when `presets` is given.
   */
  fast?: SamplingSettings & { measured?: string };
  /** Optional named presets the Generate page offers instead of defaults + fast (issue 18). */
  presets?: SamplingPreset[];
}

/** How to sample: step count, guidance scale, scheduler, and which UNet (absent: `unet`). */
export interface SamplingSettings {
  steps: number;
  guidance: number;
  scheduler: string;
  unet?: UnetRole;
}

export interface SamplingPreset extends SamplingSettings {
  /** Unique in the list, e.g. "draft", "default", "best"; recorded in the provenance. */
  name: string;
  /** What the button says; absent: the name. */
  label?: string;
  /** Seconds per image on onnxruntime-web WASM, as bench/generate.bench.ts measured it. */
  seconds_wasm?: number;
  /** What these settings gave, in one sentence (prompt and mask adherence). */
  measured?: string;
}

export interface PromptSpec {
  template: string;
  findings: string[];
  views?: string[];
  ages?: string[];
  sexes?: string[];
  examples?: string[];
}

/**
 * How often images generated with an example mask showed the prompted finding
 * (scripts/measure-example-masks.ts): per judge (a bundle id), the share per finding class.
 */
export interface MaskPromptAdherence {
  /** Images per example prompt (a finding with two example prompts had twice as many). */
  seeds: number;
  /** The sampling settings, in words. */
  settings: string;
  /** Date, YYYY-MM-DD. */
  measured: string;
  by: Record<string, Record<string, number>>;
}

export interface ExampleMask {
  file: string;
  layer: string;
  convention?: string;
  sha256: string;
  prompt_adherence?: MaskPromptAdherence;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  name: string;
  license: string;
  card?: string;
  classes?: string[];
  models: Partial<Record<ModelRole, ModelSpec>>;
  tokenizer?: TokenizerSpec;
  diffusion?: DiffusionSpec;
  prompt?: PromptSpec;
  example_masks?: ExampleMask[];
  /** Dataset-shift reference for the classifier's features (src/core/evaluation/datasetShift.ts); optional. */
  shift?: FileRef;
}

/** Built-in bundle ids, default first (public/models/index.json). */
export type BundleIndex = string[];
