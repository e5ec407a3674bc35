import type { EmptyTruthRule } from '../metrics/dice.ts';
import type { ZeroDivision } from '../metrics/precisionRecallF1.ts';
import type { CaseResult } from './caseResult.ts';
import type { ModelComparison } from './comparison.ts';
import type { SetShift } from './datasetShift.ts';
import { summarizeClassification, type ClassificationSummary } from './classificationSummary.ts';
import type { InputIssue } from './evaluationSet.ts';
import { summarizeMultiLabel, type MultiLabelSummary } from './multiLabelSummary.ts';
import { summarizeSegmentation, type SegmentationSummary } from './segmentationSummary.ts';

/**
 * The JSON summary of one evaluation run: the same object from the page's
 * export and from `cxr-studio evaluate --json`, so a result can be reproduced
 * outside the browser and compared number for number.
 */
export const SUMMARY_FORMAT = 'cxr-studio-evaluation/1';

export interface EvaluationSettings {
  /** Per-class "P(class) >= threshold" scores; the confusion matrix uses arg-max. */
  threshold: number;
  zeroDivision: ZeroDivision;
  emptyTruth: EmptyTruthRule;
  /** Segmenter channel scored against the masks. */
  diceChannel?: string;
  /** HD95 per image (pixels), off by default: it is the slow part of segmentation scoring. */
  hd95?: boolean;
  bootstrap: { iterations: number; seed: number; level: number };
  /** Label cells are sets ("a|b"): the multi-label summary instead of the arg-max one. */
  multiLabel?: boolean;
}

export const DEFAULT_SETTINGS: EvaluationSettings = {
  threshold: 0.5,
  zeroDivision: 0,
  emptyTruth: 'empty-is-one',
  bootstrap: { iterations: 1000, seed: 0, level: 0.95 },
};

export interface ModelIdentity {
  role: 'segmenter' | 'classifier';
  file: string;
  sha256: string;
}

export interface EvaluationSummary {
  format: typeof SUMMARY_FORMAT;
  created: string;
  engine: string;
  bundle: string;
  models: ModelIdentity[];
  /** classificationOnly: labelled images with no mask in a set where others have one (evaluationSet.ts), not input issues. */
  dataset: { name: string; images: number; evaluated: number; failed: number; labelled: number; withMask: number; classificationOnly: number };
  settings: EvaluationSettings;
  classification?: ClassificationSummary;
  /** Instead of `classification` when settings.multiLabel. */
  multiLabel?: MultiLabelSummary;
  segmentation?: SegmentationSummary;
  /** Lowest Dice first, then the most confident wrong classifications (multi-label: wrong sets, by their largest |p - truth|). */
  worstCases: { segmentation: Array<{ stem: string; dice: number }>; classification: Array<{ stem: string; label: string; predicted: string; confidence: number }> };
  failures: Array<{ file: string; code: string; detail: string }>;
  issues: InputIssue[];
  /** How unlike the classifier's training sources the set looks (datasetShift.ts); absent when the bundle ships no reference. */
  shift?: SetShift;
  /** Present when a second model was scored on the same cases: this run's model minus that one. */
  comparison?: ModelComparison;
}

export interface SummaryContext {
  name: string;
  engine: string;
  bundle: string;
  models: ModelIdentity[];
  classes: string[];
  settings: EvaluationSettings;
  issues?: InputIssue[];
  classificationOnly?: number;
  created?: string;
}

const WORST = 12;

export function summarizeEvaluation(cases: readonly CaseResult[], context: SummaryContext): EvaluationSummary {
  const { settings, classes } = context;
  const ok = cases.filter((c) => !c.error);
  const multi = Boolean(settings.multiLabel);
  const labelled = ok.filter((c) => (multi ? c.classIndices !== undefined : c.classIndex !== undefined) && c.probabilities);
  const masked = ok.filter((c) => c.dice !== undefined);
  const failures = cases.flatMap((c) => [
    ...(c.error ? [{ file: c.image, ...c.error }] : []),
    ...(c.maskError ? [{ file: c.mask ?? c.image, ...c.maskError }] : []),
  ]);
  const summary: EvaluationSummary = {
    format: SUMMARY_FORMAT,
    created: context.created ?? new Date().toISOString(),
    engine: context.engine,
    bundle: context.bundle,
    models: context.models,
    dataset: { name: context.name, images: cases.length, evaluated: ok.length, failed: cases.length - ok.length, labelled: labelled.length, withMask: masked.length, classificationOnly: context.classificationOnly ?? 0 },
    settings,
    worstCases: {
      segmentation: masked
        .filter((c): c is CaseResult & { dice: number } => typeof c.dice === 'number')
        .sort((a, b) => a.dice - b.dice)
        .slice(0, WORST)
        .map((c) => ({ stem: c.stem, dice: c.dice })),
      classification: (multi ? labelled.flatMap((c) => wrongSet(c, classes, settings.threshold)) : labelled
        .filter((c) => c.predictedIndex !== c.classIndex)
        .map((c) => ({ stem: c.stem, label: classes[c.classIndex!], predicted: classes[c.predictedIndex!], confidence: c.probabilities![c.predictedIndex!] })))
        .sort((a, b) => b.confidence - a.confidence)
        .slice(0, WORST),
    },
    failures,
    issues: context.issues ?? [],
  };
  const bootstrap = settings.bootstrap;
  if (labelled.length && multi) {
    summary.multiLabel = summarizeMultiLabel(
      { truth: labelled.map((c) => c.classIndices!), probabilities: labelled.map((c) => c.probabilities!) },
      classes,
      { threshold: settings.threshold, zeroDivision: settings.zeroDivision, bootstrap },
    );
  } else if (labelled.length) {
    summary.classification = summarizeClassification(
      { truth: labelled.map((c) => c.classIndex!), probabilities: labelled.map((c) => c.probabilities!) },
      classes,
      { threshold: settings.threshold, zeroDivision: settings.zeroDivision, bootstrap },
    );
  }
  if (masked.length) {
    summary.segmentation = summarizeSegmentation(masked.map((c) => c.dice ?? null), masked.map((c) => c.iou ?? null), bootstrap, settings.hd95 ? masked.map((c) => c.hd95 ?? null) : undefined);
  }
  return summary;
}

/** A multi-label case whose predicted set (p >= threshold) is not its true set, with its largest |p - truth| as the confidence of the mistake. */
function wrongSet(c: CaseResult, classes: string[], threshold: number) {
  const truth = c.classIndices!;
  const p = c.probabilities!;
  const predicted = classes.map((_, k) => k).filter((k) => p[k] >= threshold);
  if (predicted.length === truth.length && predicted.every((k, j) => truth[j] === k)) return [];
  const names = (set: number[]) => set.map((k) => classes[k]).join('|') || '(none)';
  return [{ stem: c.stem, label: names(truth), predicted: names(predicted), confidence: Math.max(...p.map((v, k) => Math.abs(v - (truth.includes(k) ? 1 : 0)))) }];
}
