import type { AnalysisRole, LoadedModelInfo } from '../src/contracts/analysis.ts';
import type { BackendInfo, BackendPreference } from '../src/contracts/backend.ts';
import type { ProgressCallback } from '../src/contracts/progress.ts';
import { StudioError } from '../src/core/errors.ts';
import { decodeImage, type LoadedImage } from '../src/core/image/decode.ts';
import { checkPlausibleRadiograph } from '../src/core/image/plausibility.ts';
import type { Window } from '../src/core/image/windowLevel.ts';
import { bindModelIo, type ModelIo } from '../src/core/manifest/bindModelIo.ts';
import type { Manifest, ModelSpec, VariantName } from '../src/core/manifest/types.ts';
import { validateManifest } from '../src/core/manifest/validate.ts';
import { analyzeImage, checkImageModel, type AnalysisResult, type AnalyzeModels, type AnalyzeStage } from '../src/core/pipelines/analyze.ts';
import { configureBackend, currentBackend, decodeRaster, exposeWorker, loadModels, openChecked, runnerNote, transfer } from './kit/index.ts';
import { describeModel, type WebRunner } from './runtime/index.ts';
import './runtime/dicomCodecWasm.ts';

interface Loaded {
  spec: ModelSpec;
  runner: WebRunner;
  classes: string[];
  /** What the status bar shows; `ep` and `note` as at load (`describe` gives them as they are now). */
  info: LoadedModelInfo;
}

const loaded = new Map<AnalysisRole, Loaded>();

/** A loaded model as it runs now: a WebGPU session whose first run disagreed with WASM has moved to WASM, and says why. */
function describe({ runner, info }: Loaded): LoadedModelInfo {
  return { ...info, ep: runner.ep, note: runnerNote(runner, info.note) };
}

async function replace(role: AnalysisRole, next: Loaded): Promise<LoadedModelInfo> {
  await loaded.get(role)?.runner.release();
  loaded.set(role, next);
  return describe(next);
}

const api = {
  /** Pick the backend once per worker; the client makes a new worker to change it. */
  configure: (wanted: BackendPreference): Promise<BackendInfo> => configureBackend(wanted),

  /** Fetch, verify, cache and open a built-in bundle's analysis models. */
  loadBundle: async (baseUrl: string, rawManifest: Manifest, variant: VariantName, onProgress: ProgressCallback): Promise<LoadedModelInfo[]> => {
    const manifest = validateManifest(rawManifest);
    const models = await loadModels({ baseUrl, manifest, roles: ['segmenter', 'classifier'] as const, variant, backend: await currentBackend(), onProgress, missing: 'skip' });
    const results: LoadedModelInfo[] = [];
    for (const { role, spec, variant: chosen, file, runner, note } of models) {
      results.push(await replace(role, {
        spec, runner, classes: manifest.classes ?? [],
        info: { role, source: manifest.id, variant: chosen, ep: runner.ep, bytes: file.bytes, note },
      }));
    }
    return results;
  },

  /** What a model file the user picked declares (inputs, outputs, shapes, element types), for the own-model form; nothing is loaded. */
  describeModel: async (name: string, bytes: ArrayBuffer): Promise<ModelIo> => describeModel(new Uint8Array(bytes), await currentBackend(), name),

  /** A user's own model from local bytes; nothing leaves the machine. */
  loadUserModel: async (role: AnalysisRole, spec: ModelSpec, classes: string[], name: string, bytes: ArrayBuffer): Promise<LoadedModelInfo> => {
    const info = await currentBackend();
    const runner = await openChecked(new Uint8Array(bytes), info, name);
    let named: ModelSpec;
    try {
      named = bindModelIo(spec, runner.io, role);
      // a form that cannot feed the bound input (uint8 with pixel / 255) is refused now, not at the first Analyze
      checkImageModel(role, named);
    } catch (error) {
      await runner.release();
      throw error;
    }
    return replace(role, { spec: named, runner, classes, info: { role, source: name, variant: 'fp32', ep: runner.ep, bytes: bytes.byteLength, note: runner.note } });
  },

  loadedModels: async (): Promise<LoadedModelInfo[]> => [...loaded.values()].map(describe),

  decode: async (bytes: ArrayBuffer): Promise<LoadedImage> => {
    const image = await decodeImage(new Uint8Array(bytes), decodeRaster);
    return transfer(image, [image.values.buffer]);
  },

  /** The models' answer for one image, and the models as they ran it (`models`: after its first run a WebGPU model may run on WASM). */
  analyze: async (image: LoadedImage, window: Window | undefined, onStage: (stage: AnalyzeStage) => void): Promise<AnalysisResult & { models: LoadedModelInfo[] }> => {
    if (loaded.size === 0) throw new StudioError('model-missing', 'no segmenter or classifier is loaded yet');
    checkPlausibleRadiograph(image);
    const models: AnalyzeModels = {};
    const segmenter = loaded.get('segmenter');
    const classifier = loaded.get('classifier');
    if (segmenter) models.segmenter = { spec: segmenter.spec, runner: segmenter.runner };
    if (classifier) models.classifier = { spec: classifier.spec, runner: classifier.runner, classes: classifier.classes };
    const result = await analyzeImage(image, models, { window, onStage });
    const buffers = (result.segmentation?.channels ?? []).flatMap((c) => [c.probabilities.buffer, c.mask.buffer]);
    return transfer({ ...result, models: [...loaded.values()].map(describe) }, buffers);
  },
};

export type AnalysisApi = typeof api;

exposeWorker(api);
