import type { BackendInfo, BackendPreference } from '../src/contracts/backend.ts';
import type { GeneratedImage, GenerationRequest, GeneratorInfo } from '../src/contracts/generation.ts';
import type { ProgressCallback } from '../src/contracts/progress.ts';
import { StudioError } from '../src/core/errors.ts';
import type { Manifest, ModelRole, ModelSpec, VariantName, VariantSpec } from '../src/core/manifest/types.ts';
import { crossCheck } from '../src/core/pipelines/crossCheck.ts';
import { validateManifest } from '../src/core/manifest/validate.ts';
import { makeImage } from '../src/core/generation/makeImage.ts';
import type { GenerateProgress, GenerateRunners } from '../src/core/pipelines/generate.ts';
import { PromptTokenizer } from '../src/core/text/tokenizer.ts';
import { configureBackend, currentBackend, exposeWorker, loadModels, transfer } from './kit/index.ts';
import { createWebRunner, fetchModelFile, type WebRunner } from './runtime/index.ts';

const GENERATOR_ROLES = ['text_encoder', 'unet', 'vae_decoder'] as const;
type GeneratorRole = (typeof GENERATOR_ROLES)[number] | 'unet_guided';

interface Loaded {
  manifest: Manifest;
  tokenizer: PromptTokenizer;
  runners: GenerateRunners & Record<string, WebRunner>;
  /** The file each role really runs, for the provenance. */
  variants: Partial<Record<ModelRole, VariantSpec>>;
  info: GeneratorInfo;
}

let loaded: Loaded | undefined;
let current: AbortController | undefined;

async function release(): Promise<void> {
  if (loaded) await Promise.all(Object.values(loaded.runners).map((r) => r.release()));
  loaded = undefined;
}

/**
 * A session on the chosen backend, but never a wrong one: on WebGPU each model is first
 * run on a probe input next to WASM, and if the two disagree the WASM session is used
 * (with a note). ORT 1.30's WebGPU EP on SwiftShader returns wrong UNet outputs with no
 * error (mean |diff| 0.28 on outputs of mean magnitude 0.65), while its text encoder and
 * VAE decoder agree with WASM within 7e-5.
 */
async function verifiedRunner(bytes: Uint8Array, chosen: BackendInfo, spec: ModelSpec, label: string): Promise<WebRunner> {
  const runner = await createWebRunner(bytes, chosen, label);
  if (runner.ep !== 'webgpu') return runner;
  const reference = await createWebRunner(bytes, { ...chosen, ep: 'wasm' }, label);
  const { agrees, maxAbsDiff } = await crossCheck(spec, runner, reference);
  if (agrees) {
    await reference.release();
    return runner;
  }
  await runner.release();
  return Object.assign(reference, { note: `WebGPU output disagreed with WASM on a probe input (max |diff| ${maxAbsDiff.toPrecision(3)}); it runs on WASM` });
}

/** A macrotask turn, so comlink can deliver a `cancel()` that arrived during a step. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const api = {
  /** Pick the backend once per worker; the client makes a new worker to change it. */
  configure: (preference: BackendPreference): Promise<BackendInfo> => configureBackend(preference),

  /** Fetch (hash-checked, cached) and open the text encoder, UNet(s), VAE decoder and tokenizer. */
  loadBundle: async (baseUrl: string, rawManifest: Manifest, variant: VariantName, onProgress: ProgressCallback): Promise<GeneratorInfo> => {
    const manifest = validateManifest(rawManifest);
    if (!manifest.diffusion || !manifest.tokenizer) throw new StudioError('manifest-invalid', `${manifest.id} has no diffusion model`);
    const backend = await currentBackend();
    await release();
    const tokenizerBytes = await fetchModelFile(new URL(manifest.tokenizer.file, baseUrl).href, manifest.tokenizer, 'text_encoder', onProgress);
    const tokenizer = new PromptTokenizer(JSON.parse(new TextDecoder().decode(tokenizerBytes)), manifest.tokenizer);
    // the one-pass UNet (issue 18) too when the bundle ships it: its presets pick it per request
    const roles: GeneratorRole[] = manifest.models.unet_guided ? [...GENERATOR_ROLES, 'unet_guided'] : [...GENERATOR_ROLES];
    const models = await loadModels({ baseUrl, manifest, roles, variant, backend, onProgress, missing: 'fail', open: verifiedRunner });
    const runners: Record<string, WebRunner> = {};
    const variants: Loaded['variants'] = {};
    const notes: string[] = [];
    for (const { role, runner, file, note } of models) {
      runners[role] = runner;
      variants[role] = file;
      if (note) notes.push(`${role}: ${note}`);
    }
    const placement = roles.map((role) => `${role} ${runners[role].ep}`).join(', ');
    const info: GeneratorInfo = { bundle: manifest.id, engine: `onnxruntime-web: ${placement}; ${backend.threads} WASM thread(s)`, notes };
    loaded = {
      manifest,
      tokenizer,
      runners: { textEncoder: runners.text_encoder, unet: runners.unet, vaeDecoder: runners.vae_decoder, ...(runners.unet_guided ? { unetGuided: runners.unet_guided } : {}), ...runners },
      variants,
      info,
    };
    return info;
  },

  /** One image (core/generation/makeImage.ts). Progress crosses as data; `cancel()` stops it between denoising steps. */
  generate: async (request: GenerationRequest, onProgress: (event: GenerateProgress) => void): Promise<GeneratedImage> => {
    if (!loaded) throw new StudioError('model-missing', 'the generator is not loaded yet');
    const { manifest, tokenizer, runners, variants, info } = loaded;
    current = new AbortController();
    try {
      const image = await makeImage({ manifest, tokenizer, runners, engine: info.engine, variants }, request, { signal: current.signal, onProgress, betweenSteps: yieldToEventLoop });
      return transfer(image, [image.png.buffer, ...(image.mask ? [image.mask.buffer] : [])]);
    } finally {
      current = undefined;
    }
  },

  /** Ask the running generation to stop at its next step boundary. */
  cancel: async (): Promise<void> => {
    current?.abort();
  },

};

export type DiffusionApi = typeof api;

exposeWorker(api);
