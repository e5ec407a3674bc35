import { bootstrapInterval, type BootstrapOptions, type Interval } from '../metrics/bootstrap.ts';
import { accuracyFromConfusion, confusionMatrix, countsFromConfusion, type ClassCounts } from '../metrics/confusion.ts';
import { averagePrecision, precisionRecallCurve } from '../metrics/precisionRecallCurve.ts';
import { averageScores, binaryScores, perClassScores, type Scores, type ZeroDivision } from '../metrics/precisionRecallF1.ts';
import { rocAuc, rocCurve } from '../metrics/roc.ts';

/**
 * Classification metrics over the model's classes. Predictions are the
 * arg-max class. Macro and weighted averages run over the classes that have
 * examples in the test set (`averagedOver`; scikit-learn's `labels=` those
 * classes), so a 2-class test set scored by a 4-class model is not diluted by
 * two classes it cannot contain (a predicted-but-absent class scored 0 and
 * pulled macro F1 to 0.39); such predictions still count against the recall
 * of the true class, and micro averages keep every class. ROC/PR and
 * AUC are one-vs-rest per class present in the truth; the threshold applies
 * only to the per-class "P(class) >= threshold" scores, never tuned here.
 */
export interface ClassificationInput {
  truth: number[];
  probabilities: number[][];
}

export interface ClassSummary extends Scores {
  class: string;
  support: number;
  predicted: number;
  auc: number | null;
  averagePrecision: number | null;
  atThreshold: Scores;
}

export interface ClassificationSummary {
  n: number;
  classes: string[];
  /** The classes macro and weighted averages run over: those with examples in the test set. */
  averagedOver: string[];
  /** Classes of the model left out of those averages (no examples here), so a reader sees what the number is over. */
  notAveraged: string[];
  confusion: number[][];
  accuracy: number;
  perClass: ClassSummary[];
  macro: Scores;
  micro: Scores;
  weighted: Scores;
  /** Mean one-vs-rest AUC over classes present in the truth (null with fewer than two). */
  aucMacro: number | null;
  ci: { accuracy: Interval; macroF1: Interval; aucMacro: Interval | null };
  curves: Record<string, CurvePair>;
}

/** One class's (or label's) ROC and precision-recall curves, one vs rest. */
export interface CurvePair {
  roc: { fpr: number[]; tpr: number[] };
  pr: { precision: number[]; recall: number[] };
}

export function curvePair(isClass: ArrayLike<number>, score: ArrayLike<number>): CurvePair {
  const roc = rocCurve(isClass, score);
  const pr = precisionRecallCurve(isClass, score);
  return { roc: { fpr: roc.fpr, tpr: roc.tpr }, pr: { precision: pr.precision, recall: pr.recall } };
}

const argmax = (p: number[]) => p.indexOf(Math.max(...p));

export function pick<T>(values: readonly T[], indices: Uint32Array): T[] {
  return Array.from(indices, (i) => values[i]);
}

function macroF1(counts: ClassCounts[], averaged: number[], zeroDivision: ZeroDivision): number {
  return averageScores(averaged.map((k) => counts[k]), 'macro', zeroDivision).f1;
}

function aucMacroOf(truth: number[], probabilities: number[][], present: number[]): number {
  const aucs = present.map((k) => rocAuc(truth.map((t) => (t === k ? 1 : 0)), probabilities.map((p) => p[k])));
  return aucs.some(Number.isNaN) ? Number.NaN : aucs.reduce((a, b) => a + b, 0) / aucs.length;
}

export function summarizeClassification(
  { truth, probabilities }: ClassificationInput,
  classes: string[],
  { threshold, zeroDivision, bootstrap }: { threshold: number; zeroDivision: ZeroDivision; bootstrap: BootstrapOptions },
): ClassificationSummary {
  const predicted = probabilities.map(argmax);
  const confusion = confusionMatrix(truth, predicted, classes.length);
  const counts = countsFromConfusion(confusion);
  const present = counts.map((c, k) => (c.actual > 0 ? k : -1)).filter((k) => k >= 0);
  const averaged = present;
  const union = counts.map((c, k) => (c.actual > 0 || c.predicted > 0 ? k : -1)).filter((k) => k >= 0);
  const scores = perClassScores(counts, zeroDivision);
  const curves: ClassificationSummary['curves'] = {};

  const perClass = classes.map((name, k): ClassSummary => {
    const isClass = truth.map((t) => (t === k ? 1 : 0));
    const score = probabilities.map((p) => p[k]);
    const defined = present.includes(k) && present.length > 1;
    if (defined) curves[name] = curvePair(isClass, score);
    return {
      class: name,
      ...scores[k],
      predicted: counts[k].predicted,
      auc: defined ? rocAuc(isClass, score) : null,
      averagePrecision: defined ? averagePrecision(isClass, score) : null,
      atThreshold: binaryScores(isClass, score.map((s) => (s >= threshold ? 1 : 0)), zeroDivision),
    };
  });

  const n = truth.length;
  const resampledCounts = (idx: Uint32Array) => countsFromConfusion(confusionMatrix(pick(truth, idx), pick(predicted, idx), classes.length));
  const aucMacro = present.length > 1 ? aucMacroOf(truth, probabilities, present) : null;
  return {
    n,
    classes,
    averagedOver: averaged.map((k) => classes[k]),
    notAveraged: classes.filter((_, k) => !averaged.includes(k)),
    confusion,
    accuracy: accuracyFromConfusion(confusion),
    perClass,
    macro: averageScores(averaged.map((k) => counts[k]), 'macro', zeroDivision),
    micro: averageScores(union.map((k) => counts[k]), 'micro', zeroDivision),
    weighted: averageScores(averaged.map((k) => counts[k]), 'weighted', zeroDivision),
    aucMacro,
    ci: {
      accuracy: bootstrapInterval(n, (idx) => accuracyFromConfusion(confusionMatrix(pick(truth, idx), pick(predicted, idx), classes.length)), bootstrap),
      macroF1: bootstrapInterval(n, (idx) => macroF1(resampledCounts(idx), averaged, zeroDivision), bootstrap),
      aucMacro: aucMacro === null ? null : bootstrapInterval(n, (idx) => aucMacroOf(pick(truth, idx), pick(probabilities, idx), present), bootstrap),
    },
    curves,
  };
}

/**
 * Why there is no AUC, in words the page and the CLI both show (a bare "n/a"
 * left users guessing): one-vs-rest AUC ranks images of a class against images
 * of the others, so a set whose every image has one label has none. Null when
 * the macro AUC exists.
 */
export function classificationAucNote(c: Pick<ClassificationSummary, 'aucMacro' | 'averagedOver'>): string | null {
  if (c.aucMacro !== null) return null;
  const only = c.averagedOver.length ? `every image here is ${c.averagedOver[0]}` : 'no image here has a label';
  return `No AUC: it ranks images of one class against the others, and ${only}`;
}
