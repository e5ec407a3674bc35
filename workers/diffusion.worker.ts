import type { BackendInfo, BackendPreference } from '../src/contracts/backend.ts';
import type { GeneratedImage, GenerationRequest, GeneratorInfo } from '../src/contracts/generation.ts';
import type { ProgressCallback } from '../src/contracts/progress.ts';
import { StudioError } from '../src/core/errors.ts';
import type { Manifest, ModelRole, VariantName, VariantSpec } from '../src/core/manifest/types.ts';
import { validateManifest } from '../src/core/manifest/validate.ts';
import { makeImage } from '../src/core/generation/makeImage.ts';
import type { GenerateProgress, GenerateRunners } from '../src/core/pipelines/generate.ts';
import { PromptTokenizer } from '../src/core/text/tokenizer.ts';
import { configureBackend, currentBackend, exposeWorker, loadModels, runnerNote, transfer, type LoadedModel } from './kit/index.ts';
import { fetchModelFile, type WebRunner } from './runtime/index.ts';

const GENERATOR_ROLES = ['text_encoder', 'unet', 'vae_decoder'] as const;
type GeneratorRole = (typeof GENERATOR_ROLES)[number] | 'unet_guided';

interface Loaded {
  manifest: Manifest;
  tokenizer: PromptTokenizer;
  runners: GenerateRunners & Record<string, WebRunner>;
  /** The file each role really runs, for the provenance. */
  variants: Partial<Record<ModelRole, VariantSpec>>;
  /** Where each model runs now: a WebGPU model checked on its first run may have moved to WASM. */
  info(): GeneratorInfo;
}

let loaded: Loaded | undefined;
let current: AbortController | undefined;

async function release(): Promise<void> {
  if (loaded) await Promise.all(Object.values(loaded.runners).map((r) => r.release()));
  loaded = undefined;
}

/** Where each model runs now, and why any does not run as asked. */
function describeGenerator(bundle: string, models: readonly LoadedModel<GeneratorRole>[], threads: number): GeneratorInfo {
  const placement = models.map(({ role, runner }) => `${role} ${runner.ep}`).join(', ');
  const notes = models.flatMap(({ role, runner, note }) => {
    const why = runnerNote(runner, note);
    return why ? [`${role}: ${why}`] : [];
  });
  return { bundle, engine: `onnxruntime-web: ${placement}; ${threads} WASM thread(s)`, notes };
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
    const models = await loadModels({ baseUrl, manifest, roles, variant, backend, onProgress, missing: 'fail' });
    const runners: Record<string, WebRunner> = {};
    const variants: Loaded['variants'] = {};
    for (const { role, runner, file } of models) {
      runners[role] = runner;
      variants[role] = file;
    }
    loaded = {
      manifest,
      tokenizer,
      runners: { textEncoder: runners.text_encoder, unet: runners.unet, vaeDecoder: runners.vae_decoder, ...(runners.unet_guided ? { unetGuided: runners.unet_guided } : {}), ...runners },
      variants,
      info: () => describeGenerator(manifest.id, models, backend.threads),
    };
    return loaded.info();
  },

  /** Where the models run now (after an image, a WebGPU model may have moved to WASM); undefined before a load. */
  info: async (): Promise<GeneratorInfo | undefined> => loaded?.info(),

  /** One image (core/generation/makeImage.ts). Progress crosses as data; `cancel()` stops it between denoising steps. */
  generate: async (request: GenerationRequest, onProgress: (event: GenerateProgress) => void): Promise<GeneratedImage> => {
    if (!loaded) throw new StudioError('model-missing', 'the generator is not loaded yet');
    const { manifest, tokenizer, runners, variants, info } = loaded;
    current = new AbortController();
    try {
      const generator = {
        manifest,
        tokenizer,
        runners,
        variants,
        get engine() {
          return info().engine;
        },
      };
      const image = await makeImage(generator, request, { signal: current.signal, onProgress, betweenSteps: yieldToEventLoop });
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
