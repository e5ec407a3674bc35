import { InferenceError } from '../errors.ts';
import { UNET_ROLES, type DiffusionSpec, type Manifest, type ModelSpec, type TensorSpec, type UnetRole } from '../manifest/types.ts';
import type { NoiseScheduleConfig } from '../schedulers/index.ts';

/** What the pipeline reads from a manifest, checked once, so the stages can trust it. */
export interface GeneratorSpec {
  diffusion: DiffusionSpec;
  schedule: NoiseScheduleConfig;
  textEncoder: ModelSpec;
  /** The UNet the request chose (`unetRole`), checked against the model contract. */
  unet: ModelSpec;
  unetRole: UnetRole;
  /**
   * A guidance-distilled student: its inputs list `guidance`, so each step is one batch-1
   * pass on the conditional inputs with the scale fed, instead of the [cond, uncond] pair.
   */
  guided: boolean;
  vaeDecoder: ModelSpec;
  latentSize: number;
  latentChannels: number;
  maskSide: number;
  /** diffusion.uncond_mask, defaulted: what the unconditional guidance pass gets as mask_cond. */
  uncondMask: 'same' | 'none';
}

/** The UNet input names of the model contract (shared/models/README.md, docs/manifest.md). */
const UNET_INPUTS = ['sample', 'timestep', 'encoder_hidden_states', 'mask_cond'] as const;

export function unetInputs(unet: ModelSpec): TensorSpec[] {
  return UNET_INPUTS.map((name) => {
    const found = unet.inputs.find((input) => input.name === name);
    if (!found) {
      throw new InferenceError('model-io-mismatch', `unet: expected an input named "${name}", manifest lists [${unet.inputs.map((x) => x.name).join(', ')}]`);
    }
    return found;
  });
}

/** The guided student's extra input: the guidance scale, one per batch row. */
export function guidanceInput(unet: ModelSpec): TensorSpec | undefined {
  return unet.inputs.find((input) => input.name === 'guidance');
}

export function readGeneratorSpec(manifest: Manifest, unetRole: UnetRole = 'unet'): GeneratorSpec {
  const mismatch = (detail: string) => new InferenceError('model-io-mismatch', `${manifest.id}: ${detail}`);
  const { diffusion, models } = manifest;
  if (!diffusion) throw mismatch('the manifest has no "diffusion" block, so it cannot generate');
  if (!UNET_ROLES.includes(unetRole)) throw mismatch(`expected a UNet role in [${UNET_ROLES.join(', ')}], received "${String(unetRole)}"`);
  const textEncoder = models.text_encoder;
  const unet = models[unetRole];
  const vaeDecoder = models.vae_decoder;
  if (!textEncoder || !unet || !vaeDecoder) {
    throw mismatch(`generation needs text_encoder, ${unetRole} and vae_decoder models, manifest has [${Object.keys(models).join(', ')}]`);
  }
  if (diffusion.prediction_type !== 'epsilon') throw mismatch(`expected prediction_type "epsilon", received "${diffusion.prediction_type}"`);
  const schedules = ['linear', 'scaled_linear', 'squaredcos_cap_v2'];
  if (!schedules.includes(diffusion.beta_schedule)) {
    throw mismatch(`expected beta_schedule one of [${schedules.join(', ')}], received "${diffusion.beta_schedule}"`);
  }
  const [latentChannels, latentSize, latentWidth] = diffusion.latent_shape;
  if (latentSize !== latentWidth) throw mismatch(`expected a square latent, received [${diffusion.latent_shape.join(', ')}]`);
  const [sample, , , maskCond] = unetInputs(unet);
  const expectShape = (what: string, shape: TensorSpec['shape'], expected: (number | string)[]) => {
    const fixed = shape.slice(1);
    if (fixed.length !== expected.length || fixed.some((d, i) => d !== expected[i])) {
      throw mismatch(`${what}: expected [batch, ${expected.join(', ')}], manifest says [${shape.join(', ')}]`);
    }
  };
  expectShape('unet sample', sample.shape, [latentChannels, latentSize, latentSize]);
  expectShape('unet mask_cond (one channel per diffusion.mask_channels entry)', maskCond.shape, [
    diffusion.mask_channels.length, latentSize, latentSize,
  ]);
  const guidance = guidanceInput(unet);
  if (guidance && (guidance.dtype !== 'float32' || guidance.shape.length !== 1)) {
    throw mismatch(`${unetRole} guidance: expected float32 [batch], manifest says ${guidance.dtype} [${guidance.shape.join(', ')}]`);
  }
  const uncondMask = diffusion.uncond_mask ?? 'same';
  if (uncondMask !== 'same' && uncondMask !== 'none') throw mismatch(`expected diffusion.uncond_mask "same" or "none", received "${String(uncondMask)}"`);
  if (textEncoder.inputs[0]?.dtype !== 'int64') throw mismatch(`text encoder input: expected int64 ids, received ${textEncoder.inputs[0]?.dtype}`);
  if (manifest.tokenizer && textEncoder.inputs[0].shape[1] !== manifest.tokenizer.max_length) {
    throw mismatch(`text encoder takes ${textEncoder.inputs[0].shape[1]} tokens, tokenizer.max_length is ${manifest.tokenizer.max_length}`);
  }
  return {
    diffusion,
    schedule: {
      numTrainTimesteps: diffusion.num_train_timesteps,
      betaSchedule: diffusion.beta_schedule as NoiseScheduleConfig['betaSchedule'],
      betaStart: diffusion.beta_start,
      betaEnd: diffusion.beta_end,
      predictionType: 'epsilon',
    },
    textEncoder,
    unet,
    unetRole,
    guided: guidance !== undefined,
    vaeDecoder,
    latentSize,
    latentChannels,
    maskSide: latentSize * diffusion.mask_pool,
    uncondMask,
  };
}
