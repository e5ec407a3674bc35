import { trapezoidArea } from './auc.ts';
import { binaryCurve } from './binaryCurve.ts';

/**
 * ROC curve as scikit-learn's roc_curve: starts at (0, 0) with threshold
 * +Infinity (sklearn 1.2 writes max score + 1 there; 1.3+ writes inf), and by
 * default drops points collinear with their neighbours (they change neither the
 * plot nor the area). Undefined rates (no negatives or no positives) are NaN.
 */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

export function rocCurve(truth: ArrayLike<number>, scores: ArrayLike<number>, dropIntermediate = true): RocCurve {
  let { truePositives: tps, falsePositives: fps, thresholds } = binaryCurve(truth, scores);
  if (dropIntermediate && fps.length > 2) {
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0);
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  const positives = tps[tps.length - 1];
  const negatives = fps[fps.length - 1];
  return {
    fpr: [0, ...fps].map((v) => (negatives > 0 ? v / negatives : Number.NaN)),
    tpr: [0, ...tps].map((v) => (positives > 0 ? v / positives : Number.NaN)),
    thresholds: [Number.POSITIVE_INFINITY, ...thresholds],
  };
}

/** Area under the ROC curve; NaN when the labels have only one class (sklearn raises there). */
export function rocAuc(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(truth, scores);
  if (fpr.some(Number.isNaN) || tpr.some(Number.isNaN)) return Number.NaN;
  return trapezoidArea(fpr, tpr);
}

export interface OneVsRestAuc {
  perClass: number[];
  /** Mean over classes with a defined AUC. */
  macro: number;
  /** Mean weighted by each class's prevalence, over classes with a defined AUC. */
  weighted: number;
}

/** One-vs-rest ROC AUC per class from per-sample class probabilities (sklearn's multi_class='ovr'). */
export function rocAucOneVsRest(truth: ArrayLike<number>, probabilities: readonly (ArrayLike<number>)[], classCount: number): OneVsRestAuc {
  const perClass: number[] = [];
  const prevalence: number[] = [];
  for (let k = 0; k < classCount; k++) {
    const isClass = Array.from(truth, (t): number => (t === k ? 1 : 0));
    perClass.push(rocAuc(isClass, probabilities.map((p) => p[k])));
    prevalence.push(isClass.reduce((a, b) => a + b, 0));
  }
  const defined = perClass.map((a, k) => ({ a, w: prevalence[k] })).filter(({ a }) => !Number.isNaN(a));
  const weightTotal = defined.reduce((s, d) => s + d.w, 0);
  return {
    perClass,
    macro: defined.length ? defined.reduce((s, d) => s + d.a, 0) / defined.length : Number.NaN,
    weighted: weightTotal ? defined.reduce((s, d) => s + d.a * d.w, 0) / weightTotal : Number.NaN,
  };
}
