import { rocCurve } from '../metrics/roc.ts';

/**
 * The score threshold (keep when score >= threshold) that best matches the
 * reviewer's accept/reject: the first maximum of Youden's J = TPR - FPR over
 * the ROC of the score against "accepted", i.e. the highest threshold of best
 * balanced accuracy. Balanced, so that a reviewer who accepts most images does
 * not get "keep everything" suggested. Null when the reviews hold one decision only.
 */
export interface ThresholdSuggestion {
  threshold: number;
  youden: number;
  /** Fraction of reviewed images where the proxy at this threshold agrees with the reviewer. */
  agreement: number;
}

export function suggestThreshold(scores: readonly number[], accepted: readonly boolean[]): ThresholdSuggestion | null {
  if (scores.length !== accepted.length) throw new RangeError(`suggestThreshold: ${scores.length} scores but ${accepted.length} reviews`);
  const positives = accepted.filter(Boolean).length;
  if (positives === 0 || positives === accepted.length) return null;
  const { fpr, tpr, thresholds } = rocCurve(accepted.map(Number), scores, false);
  let best = 1;
  for (let i = 2; i < thresholds.length; i++) if (tpr[i] - fpr[i] > tpr[best] - fpr[best]) best = i;
  const threshold = thresholds[best];
  const agreeing = scores.filter((s, i) => s >= threshold === accepted[i]).length;
  return { threshold, youden: tpr[best] - fpr[best], agreement: agreeing / scores.length };
}
