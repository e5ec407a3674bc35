/**
 * Dice = 2|A∩B| / (|A| + |B|) over binary masks (any value > 0 is foreground).
 * Convention when both masks are empty: 1 (perfect agreement on "nothing
 * there"), as MONAI's DiceMetric with ignore_empty=False. One empty and the
 * other not gives 0.
 */
export function dice(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`dice: masks differ in size (${a.length} vs ${b.length} pixels)`);
  let both = 0;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = a[i] > 0;
    const inB = b[i] > 0;
    if (inA) sumA++;
    if (inB) sumB++;
    if (inA && inB) both++;
  }
  return sumA + sumB === 0 ? 1 : (2 * both) / (sumA + sumB);
}

/**
 * What to do when the ground truth is empty, chosen explicitly (MONAI's
 * DiceMetric `ignore_empty`): 'empty-is-one' scores 1 when the prediction is
 * empty too and 0 otherwise (ignore_empty=False, the rule of `dice` above);
 * 'ignore-empty' leaves the image out (null; MONAI gives NaN), ignore_empty=True.
 */
export type EmptyTruthRule = 'empty-is-one' | 'ignore-empty';

export function diceScore(prediction: ArrayLike<number>, truth: ArrayLike<number>, rule: EmptyTruthRule): number | null {
  if (rule === 'ignore-empty' && !Array.prototype.some.call(truth, (v: number) => v > 0)) {
    if (prediction.length !== truth.length) throw new RangeError(`dice: masks differ in size (${prediction.length} vs ${truth.length} pixels)`);
    return null;
  }
  return dice(prediction, truth);
}
