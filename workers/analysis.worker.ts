import * as Comlink from 'comlink';
import { StudioError, toTransferableError } from '../src/core/errors.ts';
import { decodeImage, type LoadedImage, type RgbaRaster } from '../src/core/image/decode.ts';
import type { Window } from '../src/core/image/windowLevel.ts';
import { bindModelIo } from '../src/core/manifest/bindModelIo.ts';
import type { Manifest, ModelRole, ModelSpec, VariantName } from '../src/core/manifest/types.ts';
import { validateManifest } from '../src/core/manifest/validate.ts';
import { analyzeImage, type AnalysisResult, type AnalyzeModels, type AnalyzeStage } from '../src/core/pipelines/analyze.ts';
import {
  chooseBackend, chooseVariant, createWebRunner, fetchModelFile,
  type BackendInfo, type BackendPreference, type ExecutionProvider, type ProgressCallback, type WebRunner,
} from './runtime/index.ts';
import './runtime/dicomCodecWasm.ts';

type AnalysisRole = Extract<ModelRole, 'segmenter' | 'classifier'>;

export interface LoadedModelInfo {
  role: AnalysisRole;
  source: string;
  variant: VariantName;
  ep: ExecutionProvider;
  bytes: number;
  note?: string;
}

interface Loaded {
  spec: ModelSpec;
  runner: WebRunner;
  classes: string[];
  info: LoadedModelInfo;
}

let backend: BackendInfo | undefined;
let preference: BackendPreference = 'auto';
const loaded = new Map<AnalysisRole, Loaded>();

async function currentBackend(): Promise<BackendInfo> {
  backend ??= await chooseBackend(preference);
  return backend;
}

/** Errors cross comlink as name + message only: encode the code into the message. */
function guarded<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw toTransferableError(error);
    }
  };
}

async function replace(role: AnalysisRole, next: Loaded): Promise<LoadedModelInfo> {
  await loaded.get(role)?.runner.release();
  loaded.set(role, next);
  return next.info;
}

async function decodeRaster(bytes: Uint8Array, mime: string): Promise<RgbaRaster> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { width: canvas.width, height: canvas.height, data: context.getImageData(0, 0, canvas.width, canvas.height).data };
}

const api = {
  /** Pick the backend once per worker; the client makes a new worker to change it. */
  configure: guarded(async (wanted: BackendPreference): Promise<BackendInfo> => {
    preference = wanted;
    backend = undefined;
    return currentBackend();
  }),

  /** Fetch, verify, cache and open a built-in bundle's analysis models. */
  loadBundle: guarded(async (baseUrl: string, rawManifest: Manifest, variant: VariantName, onProgress: ProgressCallback): Promise<LoadedModelInfo[]> => {
    const manifest = validateManifest(rawManifest);
    const info = await currentBackend();
    const results: LoadedModelInfo[] = [];
    for (const role of ['segmenter', 'classifier'] as const) {
      const spec = manifest.models[role];
      if (!spec) continue;
      const choice = chooseVariant(spec, variant, info.ep, info.adapter?.features ?? []);
      const bytes = await fetchModelFile(new URL(choice.spec.file, baseUrl).href, choice.spec, role, onProgress);
      const runner = await createWebRunner(bytes, info, `${manifest.id}/${choice.spec.file}`);
      onProgress({ status: 'ready', role, file: choice.spec.file, ep: runner.ep });
      const note = [choice.note, runner.note].filter(Boolean).join('; ') || undefined;
      results.push(await replace(role, {
        spec, runner, classes: manifest.classes ?? [],
        info: { role, source: manifest.id, variant: choice.name, ep: runner.ep, bytes: choice.spec.bytes, note },
      }));
    }
    return results;
  }),

  /** A user's own model from local bytes; nothing leaves the machine. */
  loadUserModel: guarded(async (role: AnalysisRole, spec: ModelSpec, classes: string[], name: string, bytes: ArrayBuffer): Promise<LoadedModelInfo> => {
    const info = await currentBackend();
    const runner = await createWebRunner(new Uint8Array(bytes), info, name);
    let named: ModelSpec;
    try {
      named = bindModelIo(spec, runner.io, role);
    } catch (error) {
      await runner.release();
      throw error;
    }
    return replace(role, { spec: named, runner, classes, info: { role, source: name, variant: 'fp32', ep: runner.ep, bytes: bytes.byteLength, note: runner.note } });
  }),

  loadedModels: async (): Promise<LoadedModelInfo[]> => [...loaded.values()].map((m) => m.info),

  decode: guarded(async (bytes: ArrayBuffer): Promise<LoadedImage> => {
    const image = await decodeImage(new Uint8Array(bytes), decodeRaster);
    return Comlink.transfer(image, [image.values.buffer]);
  }),

  analyze: guarded(async (image: LoadedImage, window: Window | undefined, onStage: (stage: AnalyzeStage) => void): Promise<AnalysisResult> => {
    if (loaded.size === 0) throw new StudioError('model-missing', 'no segmenter or classifier is loaded yet');
    const models: AnalyzeModels = {};
    const segmenter = loaded.get('segmenter');
    const classifier = loaded.get('classifier');
    if (segmenter) models.segmenter = { spec: segmenter.spec, runner: segmenter.runner };
    if (classifier) models.classifier = { spec: classifier.spec, runner: classifier.runner, classes: classifier.classes };
    const result = await analyzeImage(image, models, { window, onStage });
    const buffers = (result.segmentation?.channels ?? []).flatMap((c) => [c.probabilities.buffer, c.mask.buffer]);
    return Comlink.transfer(result, buffers as ArrayBuffer[]);
  }),
};

export type AnalysisApi = typeof api;

// ORT's pthread helpers start from worker scripts; never expose the API inside one.
if (!self.name?.startsWith('em-pthread')) Comlink.expose(api);
