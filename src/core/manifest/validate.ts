import { ManifestError } from '../errors.ts';
import { SCHEDULER_NAMES } from '../schedulers/index.ts';
import {
  ACTIVATIONS, LAYOUTS, MANIFEST_FORMAT, MODEL_ROLES, MODEL_TASKS, TENSOR_DTYPES, UNET_ROLES, VARIANT_NAMES,
  type BundleIndex, type Manifest, type ModelRole, type ModelSpec, type ModelTask,
} from './types.ts';

/**
 * Checks a parsed manifest.json against docs/manifest.md. Every problem names
 * the JSON path, what was expected and what was received, and all problems
 * are reported at once so a manifest author fixes them in one pass.
 */
export function validateManifest(value: unknown): Manifest {
  const problems: string[] = [];
  const check = new Checker(problems);

  const root = check.object(value, 'manifest');
  if (root) {
    check.literal(root.format, 'format', MANIFEST_FORMAT);
    check.nonEmptyString(root.id, 'id');
    check.nonEmptyString(root.name, 'name');
    check.nonEmptyString(root.license, 'license');
    if (root.card !== undefined) check.nonEmptyString(root.card, 'card');
    if (root.classes !== undefined) check.stringArray(root.classes, 'classes', 1);
    const models = check.object(root.models, 'models');
    if (models) {
      if (Object.keys(models).length === 0) problems.push('models: expected at least one model, received {}');
      for (const [role, spec] of Object.entries(models)) {
        check.oneOf(role, `models key "${role}"`, MODEL_ROLES);
        validateModel(check, spec, `models.${role}`);
      }
      if (models.unet_guided !== undefined) validateGuidedUnet(check, models.unet_guided);
      const classifier = models.classifier as { outputs?: unknown } | undefined;
      if (classifier && !Array.isArray(root.classes)) {
        problems.push('classes: expected a list of class names because a classifier is present, received nothing');
      }
    }
    if (root.tokenizer !== undefined) {
      const tokenizer = check.object(root.tokenizer, 'tokenizer');
      if (tokenizer) {
        check.fileRef(tokenizer, 'tokenizer');
        check.positiveInteger(tokenizer.max_length, 'tokenizer.max_length');
        check.integer(tokenizer.pad_id, 'tokenizer.pad_id');
      }
    }
    if (root.diffusion !== undefined) validateDiffusion(check, root.diffusion, models ? Object.keys(models) : []);
    if (root.shift !== undefined) {
      const shift = check.object(root.shift, 'shift');
      if (shift) check.fileRef(shift, 'shift');
      const outputs = (models?.classifier as { outputs?: Array<{ name?: unknown }> } | undefined)?.outputs;
      if (!outputs?.some((o) => o.name === 'features')) problems.push('shift: expected a classifier with a "features" output, since the shift reference scores its features');
    }
  }

  if (problems.length > 0) {
    throw new ManifestError(`${problems.length} problem(s): ${problems.join('; ')}`);
  }
  return value as Manifest;
}

function validateModel(check: Checker, value: unknown, path: string): void {
  const spec = check.object(value, path);
  if (!spec) return;
  const task = check.oneOf(spec.task, `${path}.task`, MODEL_TASKS) as ModelTask | undefined;
  const variants = check.object(spec.variants, `${path}.variants`);
  if (variants) {
    if (!('fp32' in variants)) check.problems.push(`${path}.variants: expected an "fp32" entry, received keys [${Object.keys(variants).join(', ')}]`);
    for (const [name, variant] of Object.entries(variants)) {
      check.oneOf(name, `${path}.variants key "${name}"`, VARIANT_NAMES);
      const v = check.object(variant, `${path}.variants.${name}`);
      if (!v) continue;
      check.fileRef(v, `${path}.variants.${name}`);
      if (v.requires !== undefined) check.stringArray(v.requires, `${path}.variants.${name}.requires`, 0);
    }
  }
  for (const side of ['inputs', 'outputs'] as const) {
    const list = check.array(spec[side], `${path}.${side}`, 1);
    list?.forEach((t, i) => {
      const tensor = check.object(t, `${path}.${side}[${i}]`);
      if (!tensor) return;
      check.nonEmptyString(tensor.name, `${path}.${side}[${i}].name`);
      const shape = check.array(tensor.shape, `${path}.${side}[${i}].shape`, 1);
      shape?.forEach((d, j) => {
        const ok = (typeof d === 'number' && Number.isInteger(d) && d > 0) || (typeof d === 'string' && d.length > 0);
        if (!ok) check.problems.push(`${path}.${side}[${i}].shape[${j}]: expected a positive integer or a symbolic name, received ${show(d)}`);
      });
      check.oneOf(tensor.dtype, `${path}.${side}[${i}].dtype`, TENSOR_DTYPES);
      if (tensor.range !== undefined) check.numberPair(tensor.range, `${path}.${side}[${i}].range`);
    });
  }
  const needsImage = task === 'segmentation' || task === 'classification';
  if (spec.preprocess !== undefined || needsImage) {
    const pre = check.object(spec.preprocess, `${path}.preprocess`);
    if (pre) {
      check.positiveInteger(pre.size, `${path}.preprocess.size`);
      check.positiveInteger(pre.channels, `${path}.preprocess.channels`);
      check.perChannel(pre.scale, `${path}.preprocess.scale`, pre.channels);
      check.perChannel(pre.offset, `${path}.preprocess.offset`, pre.channels);
      if (pre.layout !== undefined) check.oneOf(pre.layout, `${path}.preprocess.layout`, LAYOUTS);
    }
  }
  if (spec.postprocess !== undefined || needsImage) {
    const post = check.object(spec.postprocess, `${path}.postprocess`);
    if (post) {
      check.oneOf(post.activation, `${path}.postprocess.activation`, ACTIVATIONS);
      if (post.threshold !== undefined) check.finite(post.threshold, `${path}.postprocess.threshold`);
    }
  }
  if (task === 'segmentation') {
    const channels = check.array(spec.channels, `${path}.channels`, 1);
    channels?.forEach((c, i) => {
      const channel = check.object(c, `${path}.channels[${i}]`);
      if (channel) check.nonEmptyString(channel.name, `${path}.channels[${i}].name`);
    });
    const outputs = spec.outputs as Array<{ shape?: unknown }> | undefined;
    const outShape = Array.isArray(outputs) ? outputs[0]?.shape : undefined;
    const axis = (spec.preprocess as { layout?: unknown } | undefined)?.layout === 'nhwc' ? 3 : 1;
    if (channels && Array.isArray(outShape) && typeof outShape[axis] === 'number' && outShape[axis] !== channels.length) {
      check.problems.push(`${path}.channels: expected ${outShape[axis]} entries to match outputs[0].shape[${axis}], received ${channels.length}`);
    }
  }
  if (spec.params !== undefined) check.positiveInteger(spec.params, `${path}.params`);
}

/** A guided student must take the scale: a `guidance` input, float32 [batch]. */
function validateGuidedUnet(check: Checker, value: unknown): void {
  const inputs = (value as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs)) return;
  const guidance = inputs.find((t) => (t as { name?: unknown } | null)?.name === 'guidance') as { shape?: unknown; dtype?: unknown } | undefined;
  if (!guidance) {
    check.problems.push('models.unet_guided.inputs: expected an input named "guidance" (float32 [batch]): the one-pass UNet takes the guidance scale');
  } else if (guidance.dtype !== 'float32' || !Array.isArray(guidance.shape) || guidance.shape.length !== 1) {
    check.problems.push(`models.unet_guided.inputs "guidance": expected float32 [batch], received ${show(guidance.dtype)} ${show(guidance.shape)}`);
  }
}

/** defaults, fast and each preset: steps, guidance, scheduler, and a UNet the bundle has. */
function validateSampling(check: Checker, s: Obj, path: string, roles: string[]): void {
  check.positiveInteger(s.steps, `${path}.steps`);
  check.finite(s.guidance, `${path}.guidance`);
  if (s.unet !== undefined && check.oneOf(s.unet, `${path}.unet`, UNET_ROLES) && !roles.includes(s.unet as string)) {
    check.problems.push(`${path}.unet: expected a UNet the bundle has (models.${String(s.unet)}), models has [${roles.join(', ')}]`);
  }
}

function validatePresets(check: Checker, value: unknown, roles: string[]): void {
  const presets = check.array(value, 'diffusion.presets', 1);
  const names = new Set<string>();
  presets?.forEach((item, i) => {
    const path = `diffusion.presets[${i}]`;
    const preset = check.object(item, path);
    if (!preset) return;
    check.nonEmptyString(preset.name, `${path}.name`);
    if (typeof preset.name === 'string') {
      if (names.has(preset.name)) check.problems.push(`${path}.name: expected a name no other preset has, received "${preset.name}" again`);
      names.add(preset.name);
    }
    if (preset.label !== undefined) check.nonEmptyString(preset.label, `${path}.label`);
    validateSampling(check, preset, path, roles);
    check.oneOf(preset.scheduler, `${path}.scheduler`, SCHEDULER_NAMES);
    if (preset.seconds_wasm !== undefined && !(typeof preset.seconds_wasm === 'number' && preset.seconds_wasm > 0 && Number.isFinite(preset.seconds_wasm))) {
      check.problems.push(`${path}.seconds_wasm: expected seconds above 0, received ${show(preset.seconds_wasm)}`);
    }
    if (preset.measured !== undefined) check.nonEmptyString(preset.measured, `${path}.measured`);
  });
}

function validateDiffusion(check: Checker, value: unknown, roles: string[]): void {
  const d = check.object(value, 'diffusion');
  if (!d) return;
  const latent = check.array(d.latent_shape, 'diffusion.latent_shape', 3);
  if (latent && latent.length !== 3) check.problems.push(`diffusion.latent_shape: expected 3 numbers [C, H, W], received ${show(latent)}`);
  check.finite(d.scaling_factor, 'diffusion.scaling_factor');
  check.positiveInteger(d.num_train_timesteps, 'diffusion.num_train_timesteps');
  check.positiveInteger(d.mask_pool, 'diffusion.mask_pool');
  const channels = check.array(d.mask_channels, 'diffusion.mask_channels', 0);
  channels?.forEach((c, i) => {
    const channel = check.object(c, `diffusion.mask_channels[${i}]`);
    if (!channel) return;
    check.nonEmptyString(channel.name, `diffusion.mask_channels[${i}].name`);
    check.oneOf(channel.kind, `diffusion.mask_channels[${i}].kind`, ['mask', 'given', 'convention'] as const);
    check.nonEmptyString(channel.layer, `diffusion.mask_channels[${i}].layer`);
  });
  if (d.defaults !== undefined) {
    const defaults = check.object(d.defaults, 'diffusion.defaults');
    if (defaults) validateSampling(check, defaults, 'diffusion.defaults', roles);
  }
  if (d.fast !== undefined) {
    const fast = check.object(d.fast, 'diffusion.fast');
    if (fast) {
      validateSampling(check, fast, 'diffusion.fast', roles);
      check.oneOf(fast.scheduler, 'diffusion.fast.scheduler', SCHEDULER_NAMES);
      if (fast.measured !== undefined) check.nonEmptyString(fast.measured, 'diffusion.fast.measured');
    }
  }
  if (d.presets !== undefined) validatePresets(check, d.presets, roles);
}

/** public/models/index.json: a list of bundle ids (or `{ "bundles": [...] }`), default first. */
export function validateBundleIndex(value: unknown): BundleIndex {
  const list = Array.isArray(value) ? value : (value as { bundles?: unknown } | null)?.bundles;
  const ok = Array.isArray(list) && list.length > 0 && list.every((id) => typeof id === 'string' && /^[\w.-]+$/.test(id));
  if (!ok) throw new ManifestError(`models/index.json: expected a non-empty list of bundle ids, received ${show(value)}`);
  return list as string[];
}

/** The model of a role, or a ManifestError that says which roles exist. */
export function requireModel(manifest: Manifest, role: ModelRole): ModelSpec {
  const spec = manifest.models[role];
  if (!spec) {
    throw new ManifestError(`bundle "${manifest.id}" has no ${role}; it has [${Object.keys(manifest.models).join(', ')}]`);
  }
  return spec;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

type Obj = Record<string, unknown>;

class Checker {
  constructor(readonly problems: string[]) {}

  private fail(path: string, expected: string, received: unknown): void {
    this.problems.push(`${path}: expected ${expected}, received ${show(received)}`);
  }

  object(value: unknown, path: string): Obj | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Obj;
    this.fail(path, 'an object', value);
    return undefined;
  }

  array(value: unknown, path: string, minLength: number): unknown[] | undefined {
    if (Array.isArray(value) && value.length >= minLength) return value;
    this.fail(path, `a list with at least ${minLength} item(s)`, value);
    return undefined;
  }

  literal(value: unknown, path: string, expected: string): void {
    if (value !== expected) this.fail(path, `"${expected}"`, value);
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(path, `one of ${allowed.join(' | ')}`, value);
    return undefined;
  }

  nonEmptyString(value: unknown, path: string): void {
    if (typeof value !== 'string' || value.length === 0) this.fail(path, 'a non-empty string', value);
  }

  stringArray(value: unknown, path: string, minLength: number): void {
    const list = this.array(value, path, minLength);
    list?.forEach((item, i) => this.nonEmptyString(item, `${path}[${i}]`));
  }

  finite(value: unknown, path: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'a finite number', value);
  }

  /** One finite number, or a list of one per channel. */
  perChannel(value: unknown, path: string, channels: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value)) return;
    const n = typeof channels === 'number' && Number.isInteger(channels) && channels > 0 ? channels : undefined;
    const fits = Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)) && (n === undefined || value.length === n);
    if (!fits) this.fail(path, `a finite number or a list of ${n ?? 'them'}, one per channel`, value);
  }

  integer(value: unknown, path: string): void {
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(path, 'an integer', value);
  }

  positiveInteger(value: unknown, path: string): void {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) this.fail(path, 'a positive integer', value);
  }

  numberPair(value: unknown, path: string): void {
    const ok = Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
    if (!ok) this.fail(path, 'two numbers [min, max]', value);
  }

  fileRef(value: Obj, path: string): void {
    this.nonEmptyString(value.file, `${path}.file`);
    if (typeof value.file === 'string' && (value.file.includes('..') || value.file.startsWith('/'))) {
      this.fail(`${path}.file`, 'a path inside the bundle', value.file);
    }
    if (typeof value.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.sha256)) {
      this.fail(`${path}.sha256`, '64 lowercase hex characters', value.sha256);
    }
    if (typeof value.bytes !== 'number' || !Number.isInteger(value.bytes) || value.bytes <= 0) {
      this.fail(`${path}.bytes`, 'a positive integer', value.bytes);
    }
  }
}
