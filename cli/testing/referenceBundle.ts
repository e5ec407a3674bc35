import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FORMAT, type Manifest, type ModelSpec, type TensorSpec } from '../../src/core/manifest/types.ts';
import { SHARED } from './shared.ts';

/**
 * Test support: the reference generator in ../shared/models/reference-v0, read in
 * place (its own manifest.json is not in our format) as a Manifest holding the parts
 * generation needs. scripts/stage-reference.mjs does the full conversion for the app;
 * tests read the shared folder directly so they need no staging step.
 */
export const REFERENCE_DIR = process.env.CXR_REFERENCE_MODELS ?? join(SHARED, 'models/reference-v0');

export function referencePresent(): boolean {
  return ['manifest.json', 'unet.onnx', 'text_encoder.onnx', 'vae_decoder.onnx', 'tokenizer.json'].every((f) =>
    existsSync(join(REFERENCE_DIR, f)),
  );
}

interface ReferenceModel {
  onnx: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export function referenceManifest(): Manifest {
  const ref = JSON.parse(readFileSync(join(REFERENCE_DIR, 'manifest.json'), 'utf8'));
  const model = (role: string, task: ModelSpec['task']): ModelSpec => {
    const m: ReferenceModel = ref.models[role];
    const strip = (specs: TensorSpec[]) => specs.map(({ name, shape, dtype }) => ({ name, shape, dtype }));
    return { task, variants: { fp32: { file: m.onnx, sha256: '', bytes: 0 } }, inputs: strip(m.inputs), outputs: strip(m.outputs) };
  };
  return {
    format: MANIFEST_FORMAT,
    id: 'reference-v0',
    name: 'Reference models v0',
    license: 'research use only, non-commercial',
    models: {
      text_encoder: model('text_encoder', 'text-encoder'),
      unet: model('unet', 'denoiser'),
      vae_decoder: model('vae_decoder', 'vae-decoder'),
      segmenter: model('segmenter', 'segmentation'),
    },
    tokenizer: { file: 'tokenizer.json', sha256: '', bytes: 0, max_length: ref.tokenizer.max_length, pad_id: ref.tokenizer.pad_id },
    diffusion: {
      latent_shape: ref.latent.shape,
      scaling_factor: ref.latent.scaling_factor,
      num_train_timesteps: ref.scheduler.num_train_timesteps,
      beta_schedule: ref.scheduler.beta_schedule,
      beta_start: ref.scheduler.beta_start,
      beta_end: ref.scheduler.beta_end,
      prediction_type: ref.scheduler.prediction_type,
      mask_pool: ref.latent.downsample_factor,
      mask_channels: [
        { name: 'lung', kind: 'mask', layer: 'lung' },
        { name: 'lung_given', kind: 'given', layer: 'lung' },
      ],
      defaults: { steps: 20, guidance: ref.scheduler.guidance_scale, scheduler: 'ddim' },
    },
  };
}

export function readF32(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
