/**
 * Cumulative true and false positives at each distinct score threshold, from
 * the highest score down (scikit-learn's `_binary_clf_curve`): the shared
 * base of ROC and precision-recall curves. Tied scores form one point.
 */
export interface BinaryCurve {
  truePositives: number[];
  falsePositives: number[];
  /** Decreasing distinct scores; a sample is positive when score >= threshold. */
  thresholds: number[];
}

export function binaryCurve(truth: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurve {
  if (truth.length !== scores.length) throw new RangeError(`binaryCurve: ${truth.length} labels but ${scores.length} scores`);
  if (truth.length === 0) throw new RangeError('binaryCurve: no samples');
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const curve: BinaryCurve = { truePositives: [], falsePositives: [], thresholds: [] };
  let tp = 0;
  for (let rank = 0; rank < order.length; rank++) {
    const i = order[rank];
    if (Number.isNaN(scores[i])) throw new RangeError(`binaryCurve: score ${i} is NaN`);
    if (truth[i] > 0) tp++;
    const lastOfTie = rank === order.length - 1 || scores[order[rank + 1]] !== scores[i];
    if (lastOfTie) {
      curve.truePositives.push(tp);
      curve.falsePositives.push(rank + 1 - tp);
      curve.thresholds.push(scores[i]);
    }
  }
  return curve;
}
