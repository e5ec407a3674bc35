import { listZip, readZipEntry } from '../src/core/data/zipArchive.ts';
import { StudioError, toErrorPayload } from '../src/core/errors.ts';
import type { CaseResult } from '../src/core/evaluation/caseResult.ts';
import { evaluateCase, type CaseOptions } from '../src/core/evaluation/evaluateCase.ts';
import type { EvaluationItem } from '../src/core/evaluation/evaluationSet.ts';
import { summarizeEvaluation, type EvaluationSummary, type SummaryContext } from '../src/core/evaluation/summary.ts';
import { decodeImage } from '../src/core/image/decode.ts';
import { applyWindow, IDENTITY_WINDOW_8BIT } from '../src/core/image/windowLevel.ts';
import { grayImage } from '../src/core/image/grayImage.ts';
import { limitSize } from '../src/core/image/limitSize.ts';
import { resize } from '../src/core/image/resample.ts';
import { bindModelIo } from '../src/core/manifest/bindModelIo.ts';
import type { Manifest, ModelSpec } from '../src/core/manifest/types.ts';
import { validateManifest } from '../src/core/manifest/validate.ts';
import { analyzeImage, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import type { BackendInfo, BackendPreference } from '../src/contracts/backend.ts';
import type { CaseView, FileSet } from '../src/contracts/evaluation.ts';
import type { ProgressCallback } from '../src/contracts/progress.ts';
import { configureBackend, currentBackend, decodeRaster, exposeWorker, loadModels } from './kit/index.ts';
import { createWebRunner, type WebRunner } from './runtime/index.ts';
import './runtime/dicomCodecWasm.ts';

/**
 * Evaluation worker: images stream through one at a time (read from the
 * user's File or zip entry, scored, dropped), so a large set never sits in
 * memory as pixels. Only per-image numbers go back to the page.
 */

let models: AnalyzeModels = {};
let runners: WebRunner[] = [];
let cancelled = false;
const zips = new WeakMap<File, Promise<Uint8Array>>();

async function readFromSet(set: FileSet, name: string): Promise<Uint8Array> {
  if (set.kind === 'files') {
    const file = set.files[name];
    if (!file) throw new StudioError('image-decode-failed', `${name} is not among the chosen files`);
    return new Uint8Array(await file.arrayBuffer());
  }
  if (!zips.has(set.zip)) zips.set(set.zip, set.zip.arrayBuffer().then((b) => new Uint8Array(b)));
  return readZipEntry(await zips.get(set.zip)!, name);
}

const api = {
  configure: (preference: BackendPreference): Promise<BackendInfo> => configureBackend(preference),

  /** List a zip's safe entries and the refused ones (../, absolute paths). */
  listZip: async (zip: File) => {
    zips.set(zip, zip.arrayBuffer().then((b) => new Uint8Array(b)));
    return listZip(await zips.get(zip)!);
  },

  loadBundle: async (baseUrl: string, rawManifest: Manifest, roles: Array<'segmenter' | 'classifier'>, onProgress: ProgressCallback) => {
    const manifest = validateManifest(rawManifest);
    const info = await currentBackend();
    await Promise.all(runners.map((r) => r.release()));
    models = {};
    runners = [];
    const opened = await loadModels({ baseUrl, manifest, roles, variant: 'fp32', backend: info, onProgress, missing: 'skip' });
    for (const { role, spec, runner } of opened) {
      runners.push(runner);
      if (role === 'segmenter') models.segmenter = { spec, runner };
      else models.classifier = { spec, runner, classes: manifest.classes ?? [] };
    }
    return opened.map(({ role, file, runner }) => ({ role: role as string, file: file.file, sha256: file.sha256, ep: runner.ep as string }));
  },

  /**
   * The user's own ONNX model (bytes transferred from the page, never fetched)
   * in place of the bundle. Its form-made spec is bound to the names and
   * shapes the graph declares, then one blank image runs through the same
   * pipeline as the evaluation, so a model that does not fit its form fails
   * here with what was expected and received, not once per test image.
   */
  loadUserModel: async (role: 'segmenter' | 'classifier', spec: ModelSpec, classes: string[], name: string, bytes: ArrayBuffer) => {
    const info = await currentBackend();
    await Promise.all(runners.map((r) => r.release()));
    models = {};
    runners = [];
    const runner = await createWebRunner(new Uint8Array(bytes), info, name);
    const candidate: AnalyzeModels = {};
    try {
      const bound = bindModelIo(spec, runner.io, role);
      if (role === 'segmenter') candidate.segmenter = { spec: bound, runner };
      else candidate.classifier = { spec: bound, runner, classes };
      const size = bound.preprocess?.size ?? 1;
      await analyzeImage({ width: size, height: size, values: new Float32Array(size * size), window: IDENTITY_WINDOW_8BIT, invert: false }, candidate);
    } catch (error) {
      await runner.release();
      throw error;
    }
    models = candidate;
    runners = [runner];
    const loaded = candidate.segmenter ?? candidate.classifier!;
    return { role, file: name, sha256: spec.variants.fp32!.sha256, ep: runner.ep, spec: loaded.spec };
  },

  /** Score the items in order, reporting each as it finishes; `cancel` stops before the next image. */
  evaluate: async (items: EvaluationItem[], images: FileSet, masks: FileSet | undefined, options: Omit<CaseOptions, 'signal' | 'decodeRaster'>, onCase: (result: CaseResult, index: number) => void): Promise<number> => {
    cancelled = false;
    let done = 0;
    for (const [index, item] of items.entries()) {
      if (cancelled) break;
      let result: CaseResult;
      try {
        const imageBytes = await readFromSet(images, item.image);
        const maskBytes = item.mask && masks ? await readFromSet(masks, item.mask) : undefined;
        result = await evaluateCase({ item, imageBytes, maskBytes }, models, { ...options, decodeRaster });
        delete (result as { predictedMask?: Uint8Array }).predictedMask;
      } catch (error) {
        // reading the file failed (evaluateCase itself reports per image and throws only on cancel)
        result = { stem: item.stem, image: item.image, ms: 0, error: toErrorPayload(error) };
      }
      onCase(result, index);
      done++;
    }
    return done;
  },

  cancel: async (): Promise<void> => {
    cancelled = true;
  },

  summarize: async (cases: CaseResult[], context: SummaryContext): Promise<EvaluationSummary> => summarizeEvaluation(cases, context),

  /** Re-read one case for the worst-cases view: image, truth and prediction at display size. */
  viewCase: async (item: EvaluationItem, images: FileSet, masks: FileSet | undefined, options: Omit<CaseOptions, 'signal' | 'decodeRaster'>): Promise<CaseView> => {
    const imageBytes = await readFromSet(images, item.image);
    const maskBytes = item.mask && masks ? await readFromSet(masks, item.mask) : undefined;
    const { predictedMask, width = 0, height = 0 } = await evaluateCase({ item, imageBytes, maskBytes }, models, { ...options, decodeRaster });
    const { image } = limitSize(await decodeImage(imageBytes, decodeRaster));
    const scale = Math.min(1, 512 / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const shrink = (values: Float32Array) => resize(grayImage(width, height, values), w, h).data;
    const toMask = (values: Float32Array) => Uint8Array.from(shrink(values), (v) => (v >= 0.5 ? 1 : 0));
    const view: CaseView = { width: w, height: h, pixels: Uint8ClampedArray.from(shrink(applyWindow(image.values, image.window, image.invert))) };
    if (predictedMask) view.prediction = toMask(Float32Array.from(predictedMask));
    if (maskBytes) {
      const truth = limitSize(await decodeImage(maskBytes)).image;
      if (truth.width === width && truth.height === height) {
        let max = 0;
        for (const v of truth.values) max = Math.max(max, v);
        view.truth = toMask(Float32Array.from(truth.values, (v) => (max > 0 && v >= max / 2 ? 1 : 0)));
      }
    }
    return view;
  },
};

export type EvaluationApi = typeof api;

exposeWorker(api);
