import { listZip, readZipEntry } from '../src/core/data/zipArchive.ts';
import { fromErrorPayload, StudioError } from '../src/core/errors.ts';
import { validateShiftReference, type ShiftReference } from '../src/core/evaluation/datasetShift.ts';
import { verifyFile } from '../src/core/manifest/verifyFile.ts';
import type { CaseResult } from '../src/core/evaluation/caseResult.ts';
import { prepareCase, scoreCase, type EvaluationFileSource } from '../src/core/evaluation/evaluateCase.ts';
import type { EvaluationItem } from '../src/core/evaluation/evaluationSet.ts';
import type { EvaluationPlan } from '../src/core/evaluation/request.ts';
import { runEvaluation, summarizeRun, type RunIdentity } from '../src/core/evaluation/run.ts';
import type { EvaluationSummary, ModelIdentity } from '../src/core/evaluation/summary.ts';
import { applyWindow, IDENTITY_WINDOW_8BIT } from '../src/core/image/windowLevel.ts';
import { grayImage } from '../src/core/image/grayImage.ts';
import { resize } from '../src/core/image/resample.ts';
import { bindModelIo } from '../src/core/manifest/bindModelIo.ts';
import type { FileRef, Manifest, ModelSpec, VariantName } from '../src/core/manifest/types.ts';
import { validateManifest } from '../src/core/manifest/validate.ts';
import { analyzeImage, analyzeImages, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import type { BackendInfo, BackendPreference } from '../src/contracts/backend.ts';
import type { CaseView, FileSet } from '../src/contracts/evaluation.ts';
import type { ProgressCallback } from '../src/contracts/progress.ts';
import { checkOnFirstRun, configureBackend, currentBackend, decodeRaster, exposeWorker, loadModels, runnerNote } from './kit/index.ts';
import { createWebRunner, type WebRunner } from './runtime/index.ts';
import './runtime/dicomCodecWasm.ts';

/**
 * Evaluation worker: the browser host of the evaluation run
 * (src/core/evaluation/run.ts). It adapts I/O only: the user's picked files or
 * zip as a file source, the bundle's models on onnxruntime-web. Images stream
 * through a batch at a time (read, scored, dropped), so a large set never sits
 * in memory as pixels; the summary is computed here, where the cases are.
 */

let models: AnalyzeModels = {};
/** The open sessions with their identity; `runner.ep` is where each runs now (a WebGPU one may move to WASM on its first run). */
let loaded: Array<ModelIdentity & { runner: WebRunner; note?: string }> = [];
/** The bundle's dataset-shift reference (manifest `shift`), when it ships one and the classifier is loaded. */
let shift: ShiftReference | undefined;
let cancelled = false;
const zips = new WeakMap<File, Promise<Uint8Array>>();

function zipBytes(zip: File): Promise<Uint8Array> {
  if (!zips.has(zip)) zips.set(zip, zip.arrayBuffer().then((b) => new Uint8Array(b)));
  return zips.get(zip)!;
}

/** A picked folder or zip as the run's file source; names are the ones the page listed. */
async function fileSource(set: FileSet): Promise<EvaluationFileSource> {
  if (set.kind === 'files') {
    return { files: Object.keys(set.files), read: async (name) => new Uint8Array(await set.files[name].arrayBuffer()) };
  }
  const bytes = await zipBytes(set.zip);
  return { files: listZip(bytes).files, read: (name) => readZipEntry(bytes, name) };
}

async function releaseModels(): Promise<void> {
  await Promise.all(loaded.map((m) => m.runner.release()));
  models = {};
  loaded = [];
  shift = undefined;
}

/** Fetch the bundle's shift.json from the page's own origin, size- and hash-checked like a model file. */
async function fetchShiftReference(baseUrl: string, ref: FileRef): Promise<ShiftReference> {
  const url = new URL(ref.file, baseUrl).href;
  const response = await fetch(url);
  if (!response.ok) throw new StudioError('model-missing', `${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await verifyFile(ref, bytes);
  return validateShiftReference(JSON.parse(new TextDecoder().decode(bytes)), ref.file);
}

const api = {
  configure: (preference: BackendPreference): Promise<BackendInfo> => configureBackend(preference),

  /** List a zip's safe entries and the refused ones (../, absolute paths). */
  listZip: async (zip: File) => {
    zips.delete(zip);
    return listZip(await zipBytes(zip));
  },

  /** The bundle's models in the asked variant (as the CLI's --variant); each reports the variant that really loaded. */
  loadBundle: async (baseUrl: string, rawManifest: Manifest, roles: Array<'segmenter' | 'classifier'>, variant: VariantName, onProgress: ProgressCallback) => {
    const manifest = validateManifest(rawManifest);
    const info = await currentBackend();
    await releaseModels();
    const opened = await loadModels({ baseUrl, manifest, roles, variant, backend: info, onProgress, missing: 'skip' });
    for (const { role, spec, runner } of opened) {
      if (role === 'segmenter') models.segmenter = { spec, runner };
      else models.classifier = { spec, runner, classes: manifest.classes ?? [] };
    }
    loaded = opened.map(({ role, file, runner, note }) => ({ role, file: file.file, sha256: file.sha256, runner, note }));
    if (manifest.shift && models.classifier) shift = await fetchShiftReference(baseUrl, manifest.shift);
    return opened.map(({ role, file, runner, variant: used, note }) => ({ role: role as string, file: file.file, sha256: file.sha256, ep: runner.ep as string, variant: used, ...(note ? { note } : {}) }));
  },

  /**
   * The user's own ONNX model (bytes transferred from the page, never fetched)
   * in place of the bundle. Its form-made spec is bound to the names and
   * shapes the graph declares, then one blank image runs through the same
   * pipeline as the evaluation, so a model that does not fit its form fails
   * here with what was expected and received, not once per test image. On
   * WebGPU the first batch of real images is then also run on WASM: a blank
   * image would let a wrong kernel pass the check.
   */
  loadUserModel: async (role: 'segmenter' | 'classifier', spec: ModelSpec, classes: string[], name: string, bytes: ArrayBuffer) => {
    const info = await currentBackend();
    await releaseModels();
    const model = new Uint8Array(bytes);
    const opened = await createWebRunner(model, info, name);
    const runner = checkOnFirstRun(opened, model, info, name);
    const candidate: AnalyzeModels = {};
    try {
      const bound = bindModelIo(spec, runner.io, role);
      if (role === 'segmenter') candidate.segmenter = { spec: bound, runner };
      else candidate.classifier = { spec: bound, runner, classes };
      const size = bound.preprocess?.size ?? 1;
      const blank = { width: size, height: size, values: new Float32Array(size * size), window: IDENTITY_WINDOW_8BIT, invert: false };
      await analyzeImage(blank, role === 'segmenter' ? { segmenter: { spec: bound, runner: opened } } : { classifier: { spec: bound, runner: opened, classes } });
    } catch (error) {
      await runner.release();
      throw error;
    }
    models = candidate;
    loaded = [{ role, file: name, sha256: spec.variants.fp32!.sha256, runner, note: runner.note }];
    return { role, file: name, sha256: spec.variants.fp32!.sha256, ep: runner.ep, spec: (candidate.segmenter ?? candidate.classifier!).spec };
  },

  /**
   * Run the planned evaluation on the loaded models. Each case is reported as
   * it finishes (progress); the returned cases and summary are the complete
   * record, so nothing depends on when the last callbacks arrive.
   */
  evaluate: async (plan: EvaluationPlan, images: FileSet, masks: FileSet | undefined, identity: Pick<RunIdentity, 'name' | 'bundle' | 'classes'>, onCase: (result: CaseResult, index: number, total: number) => void): Promise<{ cases: CaseResult[]; cancelled: boolean; summary: EvaluationSummary }> => {
    cancelled = false;
    const run = await runEvaluation({
      plan,
      images: await fileSource(images),
      masks: masks && (await fileSource(masks)),
      models,
      decodeRaster,
      isCancelled: () => cancelled,
      onCase,
      shift,
    });
    const summary = summarizeRun(run.cases, plan, {
      ...identity,
      engine: `onnxruntime-web (${loaded.map(({ role, runner, note }) => [`${role} ${runner.ep}`, runnerNote(runner, note)].filter(Boolean).join(': ')).join(', ')})`,
      models: loaded.map(({ role, file, sha256 }) => ({ role, file, sha256 })),
    }, shift);
    return { ...run, summary };
  },

  cancel: async (): Promise<void> => {
    cancelled = true;
  },

  /** Re-read one case for the worst-cases view: image, truth and prediction at display size. */
  viewCase: async (item: EvaluationItem, images: FileSet, masks: FileSet | undefined, diceChannel: number): Promise<CaseView> => {
    const prepared = await prepareCase(item, await fileSource(images), masks && (await fileSource(masks)), { decodeRaster });
    const { image, truth, result } = prepared;
    if (!image) throw fromErrorPayload(result.error);
    const [analysis] = await analyzeImages([image], models);
    const prediction = scoreCase(prepared, analysis, { diceChannel, emptyTruth: 'empty-is-one' });
    const { width, height } = image;
    const scale = Math.min(1, 512 / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const shrink = (values: Float32Array) => resize(grayImage(width, height, values), w, h).data;
    const toMask = (mask: Uint8Array) => Uint8Array.from(shrink(Float32Array.from(mask)), (v) => (v >= 0.5 ? 1 : 0));
    const view: CaseView = { width: w, height: h, pixels: Uint8ClampedArray.from(shrink(applyWindow(image.values, image.window, image.invert))) };
    if (prediction) view.prediction = toMask(prediction);
    if (truth) view.truth = toMask(truth);
    return view;
  },
};

export type EvaluationApi = typeof api;

exposeWorker(api);
