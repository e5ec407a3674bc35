import { toErrorPayload } from '../errors.ts';
import { analyzeImages, type AnalyzeModels } from '../pipelines/analyze.ts';
import type { CaseResult } from './caseResult.ts';
import { setShift, shiftScore, type ShiftReference } from './datasetShift.ts';
import { prepareCase, scoreCase, type CaseOptions, type EvaluationFileSource, type PreparedCase } from './evaluateCase.ts';
import type { EvaluationPlan } from './request.ts';
import { EVALUATION_BATCH } from './request.ts';
import { summarizeEvaluation, type EvaluationSummary, type ModelIdentity } from './summary.ts';

/**
 * One evaluation run, the same for the Evaluate page's worker and for
 * `cxr-studio evaluate`: both plan it (request.ts), open the models and the
 * files their own way, and call `runEvaluation`, which
 *   1. reads and decodes the next batch of images while the models score this one,
 *   2. scores each batch with one `run` per model (analyzeImages),
 *   3. reports every case, in the plan's order, as it finishes,
 * and `summarizeRun`, where the cases are. One unreadable image or mask is one
 * failed case with a message naming the file and the cause; only a cancel
 * stops a run early, and it keeps the finished cases.
 */
export interface EvaluationRunInput {
  plan: Pick<EvaluationPlan, 'validation' | 'diceChannel' | 'settings'>;
  images: EvaluationFileSource;
  masks?: EvaluationFileSource;
  models: AnalyzeModels;
  decodeRaster?: CaseOptions['decodeRaster'];
  /** Images per model run; EVALUATION_BATCH by default. */
  batch?: number;
  /** Checked before each batch. */
  isCancelled?: () => boolean;
  onCase?: (result: CaseResult, index: number, total: number) => void;
  /** The bundle's dataset-shift reference: each case gets a shift score from the classifier's features. */
  shift?: ShiftReference;
  /** The scored channel's predicted mask (0/1 at the image's size), for --save-masks or a viewer. */
  onPredictedMask?: (result: CaseResult, mask: Uint8Array) => void | Promise<void>;
}

export interface EvaluationRunOutput {
  cases: CaseResult[];
  cancelled: boolean;
}

type ReadyCase = PreparedCase & { image: NonNullable<PreparedCase['image']> };

export async function runEvaluation(input: EvaluationRunInput): Promise<EvaluationRunOutput> {
  const { plan, images, masks, models, decodeRaster, isCancelled, onCase, onPredictedMask, shift } = input;
  const items = plan.validation.items;
  const size = Math.max(1, input.batch ?? EVALUATION_BATCH);
  const options: CaseOptions = { diceChannel: plan.diceChannel, emptyTruth: plan.settings.emptyTruth, hd95: plan.settings.hd95, decodeRaster };
  const prepare = (from: number) => Promise.all(items.slice(from, from + size).map((item) => prepareCase(item, images, masks, { decodeRaster })));
  const cases: CaseResult[] = [];

  /** One run per model over these images, then each case scored; on failure every one of them carries the error (and it is rethrown). */
  const scoreReady = async (ready: ReadyCase[]) => {
    const started = performance.now();
    try {
      const analyses = await analyzeImages(ready.map((c) => c.image), models);
      const share = (performance.now() - started) / ready.length;
      for (const [i, prepared] of ready.entries()) {
        const mask = scoreCase(prepared, analyses[i], options);
        const features = analyses[i].classification?.features;
        if (shift && features) prepared.result.shift = shiftScore(shift, features);
        prepared.result.ms = Math.round(prepared.result.ms + share);
        if (mask && onPredictedMask) await onPredictedMask(prepared.result, mask);
      }
    } catch (error) {
      const payload = toErrorPayload(error);
      if (payload.code !== 'aborted') {
        for (const prepared of ready) prepared.result.error = { code: payload.code, detail: `${prepared.result.image}: ${payload.detail}` };
      }
      throw error;
    }
  };

  const rethrowAbort = (error: unknown) => {
    if (toErrorPayload(error).code === 'aborted') throw error;
  };

  let next = items.length ? prepare(0) : undefined;
  for (let from = 0; next; from += size) {
    if (isCancelled?.()) return { cases, cancelled: true };
    const batch = await next;
    // 1. The next batch's files are read and decoded while this one runs
    next = from + size < items.length ? prepare(from + size) : undefined;
    // 2. One run per model over the images that decoded
    const ready = batch.filter((c): c is ReadyCase => c.image !== undefined);
    const decodedMs = ready.map((c) => c.result.ms);
    try {
      if (ready.length) await scoreReady(ready);
    } catch (error) {
      rethrowAbort(error);
      // An image the model fails on (a NaN output, say) fails alone, not with its batch: each is
      // scored again on its own. A model that does not fit its description fails every image
      // the same way, so only a failed run (inference-failed) is worth the retry.
      if (ready.length > 1 && toErrorPayload(error).code === 'inference-failed') {
        for (const [i, prepared] of ready.entries()) {
          prepared.result.ms = decodedMs[i];
          delete prepared.result.error;
          await scoreReady([prepared]).catch(rethrowAbort);
        }
      }
    }
    // 3. Report in order
    for (const prepared of batch) {
      cases.push(prepared.result);
      onCase?.(prepared.result, cases.length - 1, items.length);
    }
  }
  return { cases, cancelled: false };
}

/** Who ran the run, on what: the parts of the summary the host knows. */
export interface RunIdentity {
  name: string;
  engine: string;
  bundle: string;
  models: ModelIdentity[];
  classes: string[];
}

export function summarizeRun(cases: readonly CaseResult[], plan: Pick<EvaluationPlan, 'validation' | 'settings'>, identity: RunIdentity, shift?: ShiftReference): EvaluationSummary {
  const summary = summarizeEvaluation(cases, { ...identity, settings: plan.settings, issues: plan.validation.issues, classificationOnly: plan.validation.counts.classificationOnly });
  const scores = cases.flatMap((c) => (typeof c.shift === 'number' && !c.error ? [c.shift] : []));
  if (shift && scores.length) summary.shift = setShift(shift, scores);
  return summary;
}

/** Whether a run scored anything at all: a CLI run that scored nothing exits non-zero. */
export function scoredAnything(summary: EvaluationSummary): boolean {
  return Boolean(summary.classification || summary.multiLabel || summary.segmentation);
}
