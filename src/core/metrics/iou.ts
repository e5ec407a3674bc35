import type { EmptyTruthRule } from './dice.ts';

/**
 * Intersection over union (Jaccard) of binary masks, any value > 0 being
 * foreground. Empty ground truth follows the same explicit rule as Dice:
 * 'empty-is-one' gives 1 when both are empty (sklearn's jaccard_score with
 * zero_division=1) and 0 when only the prediction has pixels; 'ignore-empty' gives null.
 */
export function iou(prediction: ArrayLike<number>, truth: ArrayLike<number>, rule: EmptyTruthRule = 'empty-is-one'): number | null {
  if (prediction.length !== truth.length) throw new RangeError(`iou: masks differ in size (${prediction.length} vs ${truth.length} pixels)`);
  let intersection = 0;
  let union = 0;
  let truthPixels = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = prediction[i] > 0;
    const t = truth[i] > 0;
    if (t) truthPixels++;
    if (p && t) intersection++;
    if (p || t) union++;
  }
  if (truthPixels === 0 && rule === 'ignore-empty') return null;
  return union === 0 ? 1 : intersection / union;
}
