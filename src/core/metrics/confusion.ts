/**
 * Confusion matrix as scikit-learn lays it out: rows are the true class,
 * columns the predicted class, `matrix[t][p]` counts samples of class t
 * predicted as p. Classes are indices 0..classCount-1.
 */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number[][] {
  if (truth.length !== predicted.length) throw new RangeError(`confusionMatrix: ${truth.length} true labels but ${predicted.length} predictions`);
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (!(t >= 0 && t < classCount && p >= 0 && p < classCount && Number.isInteger(t) && Number.isInteger(p))) {
      throw new RangeError(`confusionMatrix: sample ${i} has classes (${t}, ${p}); expected integers in 0..${classCount - 1}`);
    }
    matrix[t][p]++;
  }
  return matrix;
}

/** Per-class counts read off a confusion matrix. */
export interface ClassCounts {
  truePositives: number;
  /** Samples predicted as this class (tp + fp). */
  predicted: number;
  /** Samples that are this class (tp + fn), i.e. support. */
  actual: number;
}

export function countsFromConfusion(matrix: readonly (readonly number[])[]): ClassCounts[] {
  return matrix.map((row, k) => ({
    truePositives: row[k],
    predicted: matrix.reduce((sum, r) => sum + r[k], 0),
    actual: row.reduce((sum, v) => sum + v, 0),
  }));
}

export function accuracyFromConfusion(matrix: readonly (readonly number[])[]): number {
  const total = matrix.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const correct = matrix.reduce((sum, row, k) => sum + row[k], 0);
  return total === 0 ? Number.NaN : correct / total;
}
