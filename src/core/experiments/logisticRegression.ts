import { choleskySolve } from '../linalg/cholesky.ts';

/**
 * L2-regularised logistic regression, the objective of scikit-learn's
 * LogisticRegression(penalty='l2', C): minimise ½‖w‖² + C·Σ logloss, intercept
 * not penalised. Fitted by Newton's method (IRLS) on the full batch: no random
 * order and no step size, so the same data give the same weights everywhere.
 * Several classes are fitted one-vs-rest (sklearn's multi_class='ovr'), and
 * their sigmoid outputs normalised to sum to 1 as sklearn does.
 */
export interface BinaryLogistic {
  weights: Float64Array;
  intercept: number;
  iterations: number;
}

export interface LogisticOptions {
  /** Inverse regularisation strength, as sklearn's C. */
  C?: number;
  maxIterations?: number;
  /** Stop when no Newton step component exceeds this. */
  tolerance?: number;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function fitBinaryLogistic(rows: readonly ArrayLike<number>[], positive: readonly boolean[], { C = 1, maxIterations = 100, tolerance = 1e-10 }: LogisticOptions = {}): BinaryLogistic {
  if (rows.length !== positive.length) throw new RangeError(`fitBinaryLogistic: ${rows.length} rows but ${positive.length} labels`);
  if (rows.length === 0) throw new RangeError('fitBinaryLogistic: no rows');
  const d = rows[0].length;
  // One class only (a small subset can draw that): the optimum has the intercept at ±∞, so say so
  // directly instead of letting Newton chase it.
  const positives = positive.filter(Boolean).length;
  if (positives === 0 || positives === positive.length) return { weights: new Float64Array(d), intercept: positives ? Infinity : -Infinity, iterations: 0 };
  const m = d + 1;
  const beta = new Float64Array(m);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradient = new Float64Array(m);
    const hessian = new Float64Array(m * m);
    for (let j = 0; j < d; j++) {
      gradient[j] = beta[j];
      hessian[j * m + j] = 1;
    }
    const x = new Float64Array(m);
    x[d] = 1;
    rows.forEach((row, i) => {
      let z = beta[d];
      for (let j = 0; j < d; j++) z += beta[j] * (x[j] = row[j]);
      const p = sigmoid(z);
      const residual = C * (p - (positive[i] ? 1 : 0));
      const weight = C * p * (1 - p);
      for (let a = 0; a < m; a++) {
        gradient[a] += residual * x[a];
        const wa = weight * x[a];
        for (let b = 0; b <= a; b++) hessian[a * m + b] += wa * x[b];
      }
    });
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) hessian[b * m + a] = hessian[a * m + b];
    const step = choleskySolve(hessian, gradient, m);
    let largest = 0;
    for (let a = 0; a < m; a++) {
      beta[a] -= step[a];
      largest = Math.max(largest, Math.abs(step[a]));
    }
    if (largest < tolerance) {
      iterations++;
      break;
    }
  }
  return { weights: beta.slice(0, d), intercept: beta[d], iterations };
}

export function logisticProbability(model: BinaryLogistic, row: ArrayLike<number>): number {
  let z = model.intercept;
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j] * row[j];
  return sigmoid(z);
}

/** Two classes: one binary model for class 1 (as sklearn); more: one model per class. */
export interface LogisticClassifier {
  classCount: number;
  models: BinaryLogistic[];
}

export function fitLogisticClassifier(rows: readonly ArrayLike<number>[], labels: readonly number[], classCount: number, options: LogisticOptions = {}): LogisticClassifier {
  if (classCount < 2) throw new RangeError(`fitLogisticClassifier: need at least 2 classes, got ${classCount}`);
  const targets = classCount === 2 ? [1] : Array.from({ length: classCount }, (_, k) => k);
  return { classCount, models: targets.map((k) => fitBinaryLogistic(rows, labels.map((y) => y === k), options)) };
}

export function predictProbabilities(classifier: LogisticClassifier, row: ArrayLike<number>): number[] {
  if (classifier.classCount === 2) {
    const p = logisticProbability(classifier.models[0], row);
    return [1 - p, p];
  }
  const scores = classifier.models.map((model) => logisticProbability(model, row));
  const total = scores.reduce((a, b) => a + b, 0);
  return scores.map((s) => s / total);
}
