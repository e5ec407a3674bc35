import { trapezoidArea } from './auc.ts';
import { binaryCurve } from './binaryCurve.ts';

/**
 * Precision-recall curve as scikit-learn 1.2's precision_recall_curve: points
 * ordered by increasing threshold (recall decreasing), ending at precision 1,
 * recall 0 (which has no threshold). With no positives, recall is 1 everywhere.
 */
export interface PrecisionRecallCurve {
  precision: number[];
  recall: number[];
  /** One per point except the final (1, 0). */
  thresholds: number[];
}

export function precisionRecallCurve(truth: ArrayLike<number>, scores: ArrayLike<number>): PrecisionRecallCurve {
  const { truePositives: tps, falsePositives: fps, thresholds } = binaryCurve(truth, scores);
  const positives = tps[tps.length - 1];
  const precision = tps.map((tp, i) => (tp + fps[i] === 0 ? 0 : tp / (tp + fps[i])));
  const recall = tps.map((tp) => (positives === 0 ? 1 : tp / positives));
  return { precision: [...precision.reverse(), 1], recall: [...recall.reverse(), 0], thresholds: [...thresholds].reverse() };
}

/** Average precision, sum over points of (R_n - R_{n-1}) P_n (no interpolation), as sklearn. */
export function averagePrecision(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(truth, scores);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap -= (recall[i + 1] - recall[i]) * precision[i];
  return ap;
}

/** Trapezoid area under the PR curve (optimistic next to average precision; reported for comparison only). */
export function precisionRecallAuc(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(truth, scores);
  return trapezoidArea(recall, precision);
}
