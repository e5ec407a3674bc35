import * as Comlink from 'comlink';
import { decode, encode } from 'fast-png';
import { StudioError, toTransferableError } from '../src/core/errors.ts';
import type { Manifest, VariantName } from '../src/core/manifest/types.ts';
import { validateManifest } from '../src/core/manifest/validate.ts';
import { sha256Hex } from '../src/core/manifest/verifyFile.ts';
import { maskFromPixels } from '../src/core/mask/maskFromPixels.ts';
import { generateImage, type GenerateProgress, type GenerateRequest, type GenerateRunners } from '../src/core/pipelines/generate.ts';
import type { MaskLayer } from '../src/core/pipelines/maskCond.ts';
import { buildProvenance, toGray8, type Provenance } from '../src/core/pipelines/provenance.ts';
import type { SchedulerName } from '../src/core/schedulers/types.ts';
import { PromptTokenizer } from '../src/core/text/tokenizer.ts';
import {
  chooseBackend, chooseVariant, createWebRunner, fetchModelFile,
  type BackendInfo, type BackendPreference, type ExecutionProvider, type ProgressCallback, type WebRunner,
} from './runtime/index.ts';

const GENERATOR_ROLES = ['text_encoder', 'unet', 'vae_decoder'] as const;

export interface GeneratorInfo {
  bundle: string;
  ep: ExecutionProvider;
  /** One line per model that did not run as asked (variant or provider fallback). */
  notes: string[];
}

/** A mask as the user gave it: the PNG's own bytes, so its hash names the file. */
export interface MaskSource {
  name: string;
  bytes: Uint8Array;
  layer: string;
  convention?: string;
}

export interface GenerateJob {
  prompt: string;
  seed: number;
  steps: number;
  guidance: number;
  scheduler: SchedulerName;
  mask?: MaskSource;
}

export interface GeneratedImage {
  png: Uint8Array;
  side: number;
  /** The 0/1 conditioning mask at model resolution, for the outline overlay. */
  mask?: Uint8Array;
  provenance: Provenance;
}

interface Loaded {
  manifest: Manifest;
  tokenizer: PromptTokenizer;
  runners: GenerateRunners & Record<string, WebRunner>;
  info: GeneratorInfo;
}

let backend: BackendInfo | undefined;
let loaded: Loaded | undefined;
let current: AbortController | undefined;

function guarded<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw toTransferableError(error);
    }
  };
}

async function release(): Promise<void> {
  if (loaded) await Promise.all(Object.values(loaded.runners).map((r) => r.release()));
  loaded = undefined;
}

function readMask(source: MaskSource, manifest: Manifest): MaskLayer {
  const diffusion = manifest.diffusion!;
  const side = diffusion.latent_shape[1] * diffusion.mask_pool;
  const png = decode(source.bytes);
  const data = maskFromPixels({ ...png, maxValue: 2 ** png.depth - 1 }, side);
  return { layer: source.layer, side, data, ...(source.convention ? { convention: source.convention } : {}) };
}

const api = {
  /** Pick the backend once per worker; the client makes a new worker to change it. */
  configure: guarded(async (preference: BackendPreference): Promise<BackendInfo> => {
    backend = await chooseBackend(preference);
    return backend;
  }),

  /** Fetch (hash-checked, cached) and open the text encoder, UNet, VAE decoder and tokenizer. */
  loadBundle: guarded(async (baseUrl: string, rawManifest: Manifest, variant: VariantName, onProgress: ProgressCallback): Promise<GeneratorInfo> => {
    const manifest = validateManifest(rawManifest);
    if (!manifest.diffusion || !manifest.tokenizer) throw new StudioError('manifest-invalid', `${manifest.id} has no diffusion model`);
    backend ??= await chooseBackend('auto');
    await release();
    const tokenizerBytes = await fetchModelFile(new URL(manifest.tokenizer.file, baseUrl).href, manifest.tokenizer, 'text_encoder', onProgress);
    const tokenizer = new PromptTokenizer(JSON.parse(new TextDecoder().decode(tokenizerBytes)), manifest.tokenizer);
    const runners: Record<string, WebRunner> = {};
    const notes: string[] = [];
    for (const role of GENERATOR_ROLES) {
      const spec = manifest.models[role];
      if (!spec) throw new StudioError('manifest-invalid', `${manifest.id} has no ${role}`);
      const choice = chooseVariant(spec, variant, backend.ep, backend.adapter?.features ?? []);
      const bytes = await fetchModelFile(new URL(choice.spec.file, baseUrl).href, choice.spec, role, onProgress);
      const runner = await createWebRunner(bytes, backend, `${manifest.id}/${choice.spec.file}`);
      onProgress({ status: 'ready', role, file: choice.spec.file, ep: runner.ep });
      runners[role] = runner;
      for (const note of [choice.note, runner.note]) if (note) notes.push(`${role}: ${note}`);
    }
    const eps = new Set(Object.values(runners).map((r) => r.ep));
    const info: GeneratorInfo = { bundle: manifest.id, ep: eps.has('wasm') ? 'wasm' : 'webgpu', notes };
    loaded = {
      manifest,
      tokenizer,
      runners: { textEncoder: runners.text_encoder, unet: runners.unet, vaeDecoder: runners.vae_decoder, ...runners },
      info,
    };
    return info;
  }),

  /** One image. Progress crosses as data; `cancel()` stops it between denoising steps. */
  generate: guarded(async (job: GenerateJob, onProgress: (event: GenerateProgress) => void): Promise<GeneratedImage> => {
    if (!loaded) throw new StudioError('model-missing', 'the generator is not loaded yet');
    const { manifest, tokenizer, runners, info } = loaded;
    const mask = job.mask ? readMask(job.mask, manifest) : undefined;
    const request: GenerateRequest = { prompt: job.prompt, seed: job.seed, steps: job.steps, guidance: job.guidance, scheduler: job.scheduler, masks: mask ? [mask] : [] };
    current = new AbortController();
    try {
      const result = await generateImage(manifest, tokenizer, runners, request, { signal: current.signal, onProgress });
      const maskRef = job.mask ? { name: job.mask.name, sha256: await sha256Hex(job.mask.bytes) } : undefined;
      const provenance = buildProvenance(manifest, request, result, { engine: `onnxruntime-web (${info.ep}, ${backend?.threads ?? 1} thread(s))`, mask: maskRef });
      const png = encode({ width: result.side, height: result.side, channels: 1, depth: 8, data: toGray8(result.image01) });
      const image: GeneratedImage = { png, side: result.side, provenance, ...(mask ? { mask: mask.data } : {}) };
      return Comlink.transfer(image, [png.buffer as ArrayBuffer, ...(mask ? [mask.data.buffer as ArrayBuffer] : [])]);
    } finally {
      current = undefined;
    }
  }),

  /** Ask the running generation to stop at its next step boundary. */
  cancel: async (): Promise<void> => {
    current?.abort();
  },

};

export type DiffusionApi = typeof api;

// ORT's pthread helpers start from worker scripts; never expose the API inside one.
if (!self.name?.startsWith('em-pthread')) Comlink.expose(api);
