import { bootstrapInterval, type BootstrapOptions, type Interval } from '../metrics/bootstrap.ts';
import { multiLabelReport } from '../metrics/multiLabel.ts';
import { averagePrecision } from '../metrics/precisionRecallCurve.ts';
import type { ClassScores, Scores, ZeroDivision } from '../metrics/precisionRecallF1.ts';
import { rocAuc } from '../metrics/roc.ts';
import { curvePair, pick, type CurvePair } from './classificationSummary.ts';

/**
 * Multi-label metrics: each image has a set of true classes, and the model
 * predicts every class whose probability reaches the user's threshold (no
 * arg-max, no threshold tuned here). Scores are scikit-learn's on indicator
 * matrices restricted to the labels present in the truth or the predictions
 * (`labels=` of precision_recall_fscore_support); the macro average runs only
 * over labels with positives in the truth (`averagedOver`), as the single-label
 * summary does. AUC per label needs positives and negatives in the truth.
 */
export interface MultiLabelInput {
  truth: number[][];
  probabilities: number[][];
}

export interface LabelSummary extends ClassScores {
  class: string;
  predicted: number;
  auc: number | null;
  averagePrecision: number | null;
}

export interface MultiLabelSummary {
  n: number;
  classes: string[];
  threshold: number;
  /** Labels the macro average runs over: those with positives in the test set. */
  averagedOver: string[];
  notAveraged: string[];
  perLabel: LabelSummary[];
  macro: Scores;
  micro: Scores;
  weighted: Scores;
  /** Mean over images of each image's scores (sklearn average='samples'). */
  samples: Scores;
  /** Images whose predicted set is exactly the true set (sklearn accuracy_score on indicator rows). */
  subsetAccuracy: number;
  /** Mean AUC over labels with both positives and negatives in the truth (null with none). */
  aucMacro: number | null;
  ci: { microF1: Interval; macroF1: Interval; samplesF1: Interval; subsetAccuracy: Interval; aucMacro: Interval | null };
  curves: Record<string, CurvePair>;
}

/** Indicator rows over `columns` (class indices). */
function indicators(sets: readonly (readonly number[])[], columns: readonly number[]): number[][] {
  return sets.map((set) => columns.map((k) => (set.includes(k) ? 1 : 0)));
}

const bothPresent = (column: number[]) => column.some((v) => v === 1) && column.some((v) => v === 0);

function aucMacroOf(truth: number[][], probabilities: number[][], columns: readonly number[]): number {
  const aucs = columns.map((k, j) => {
    const isLabel = truth.map((row) => row[j]);
    return bothPresent(isLabel) ? rocAuc(isLabel, probabilities.map((p) => p[k])) : Number.NaN;
  });
  return aucs.some(Number.isNaN) ? Number.NaN : aucs.reduce((a, b) => a + b, 0) / aucs.length;
}

export function summarizeMultiLabel(
  { truth, probabilities }: MultiLabelInput,
  classes: string[],
  { threshold, zeroDivision, bootstrap }: { threshold: number; zeroDivision: ZeroDivision; bootstrap: BootstrapOptions },
): MultiLabelSummary {
  const all = classes.map((_, k) => k);
  const predicted = probabilities.map((p) => all.filter((k) => p[k] >= threshold));
  const union = all.filter((k) => truth.some((set) => set.includes(k)) || predicted.some((set) => set.includes(k)));
  const positive = all.filter((k) => truth.some((set) => set.includes(k)));
  const averaged = positive.length ? positive : union;
  const report = (t: number[][], p: number[][]) => multiLabelReport(indicators(t, union), indicators(p, union), zeroDivision);
  const macroOver = (t: number[][], p: number[][]) => multiLabelReport(indicators(t, averaged), indicators(p, averaged), zeroDivision).macro;
  const full = multiLabelReport(indicators(truth, all), indicators(predicted, all), zeroDivision);
  const restricted = report(truth, predicted);
  const exact = (t: number[][], p: number[][]) => t.filter((set, i) => set.length === p[i].length && set.every((k, j) => p[i][j] === k)).length / t.length;

  const truthRows = indicators(truth, all);
  const withBoth = all.filter((k) => bothPresent(truthRows.map((row) => row[k])));
  const curves: MultiLabelSummary['curves'] = {};
  const perLabel = classes.map((name, k): LabelSummary => {
    const isLabel = truthRows.map((row) => row[k]);
    const score = probabilities.map((p) => p[k]);
    const defined = withBoth.includes(k);
    if (defined) curves[name] = curvePair(isLabel, score);
    return {
      class: name,
      ...full.perLabel[k],
      predicted: predicted.filter((set) => set.includes(k)).length,
      auc: defined ? rocAuc(isLabel, score) : null,
      averagePrecision: defined ? averagePrecision(isLabel, score) : null,
    };
  });

  const n = truth.length;
  const resampled = (idx: Uint32Array) => report(pick(truth, idx), pick(predicted, idx));
  const aucColumns = withBoth;
  const aucTruth = (rows: number[][]) => indicators(rows, aucColumns);
  const aucMacro = aucColumns.length ? aucMacroOf(aucTruth(truth), probabilities, aucColumns) : null;
  return {
    n,
    classes,
    threshold,
    averagedOver: averaged.map((k) => classes[k]),
    notAveraged: classes.filter((_, k) => !averaged.includes(k)),
    perLabel,
    macro: macroOver(truth, predicted),
    micro: restricted.micro,
    weighted: restricted.weighted,
    samples: restricted.samples,
    subsetAccuracy: exact(truth, predicted),
    aucMacro,
    ci: {
      microF1: bootstrapInterval(n, (idx) => resampled(idx).micro.f1, bootstrap),
      macroF1: bootstrapInterval(n, (idx) => macroOver(pick(truth, idx), pick(predicted, idx)).f1, bootstrap),
      samplesF1: bootstrapInterval(n, (idx) => resampled(idx).samples.f1, bootstrap),
      subsetAccuracy: bootstrapInterval(n, (idx) => exact(pick(truth, idx), pick(predicted, idx)), bootstrap),
      aucMacro: aucMacro === null ? null : bootstrapInterval(n, (idx) => aucMacroOf(aucTruth(pick(truth, idx)), pick(probabilities, idx), aucColumns), bootstrap),
    },
    curves,
  };
}

/**
 * Labels that have positives but no AUC because every image carries them
 * (AUC needs images without the label too), said in words for the page and the
 * CLI; null when every label with positives has an AUC.
 */
export function multiLabelAucNote(m: Pick<MultiLabelSummary, 'perLabel'>): string | null {
  const everywhere = m.perLabel.filter((k) => k.support > 0 && k.auc === null).map((k) => k.class);
  if (!everywhere.length) return null;
  return `No AUC for ${everywhere.join(', ')}: on every image here, and AUC needs images without the label too`;
}
