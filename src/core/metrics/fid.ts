import { symmetricEigen } from '../linalg/symmetricEigen.ts';

/**
 * Fréchet distance between two sets of feature vectors (FID when the features
 * come from a classifier; here the bundle classifier's `features`):
 *   ‖μa − μb‖² + tr(Σa) + tr(Σb) − 2·tr((Σa Σb)^½),
 * covariances with n − 1 (numpy.cov). Covariance square root, stated: tr((Σa Σb)^½)
 * is computed as Σ √λᵢ over the eigenvalues λ of the symmetric PSD matrix
 * Σa^½ Σb Σa^½ (same eigenvalues as Σa Σb), with Σa^½ from a Jacobi
 * eigendecomposition; eigenvalues below 0 (rounding) are clipped to 0. This
 * equals pytorch-fid's scipy.linalg.sqrtm (Schur) value when Σa Σb is well
 * conditioned, and stays real and finite when it is singular (fewer samples than
 * dimensions), where sqrtm needs pytorch-fid's eps offset.
 */
export interface FeatureStats {
  mean: Float64Array;
  covariance: Float64Array;
  dimension: number;
  count: number;
}

export function featureStats(rows: readonly ArrayLike<number>[]): FeatureStats {
  if (rows.length < 2) throw new RangeError(`featureStats: need at least 2 feature vectors, got ${rows.length}`);
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const row of rows) {
    if (row.length !== d) throw new RangeError(`featureStats: rows of ${d} and ${row.length} features`);
    for (let j = 0; j < d; j++) mean[j] += row[j];
  }
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (const row of rows) {
    for (let j = 0; j < d; j++) centred[j] = row[j] - mean[j];
    for (let i = 0; i < d; i++) {
      const ci = centred[i];
      for (let j = i; j < d; j++) covariance[i * d + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) covariance[j * d + i] = covariance[i * d + j] /= rows.length - 1;
  return { mean, covariance, dimension: d, count: rows.length };
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const aik = a[i * n + k];
    if (aik === 0) continue;
    for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
  }
  return out;
}

function psdSquareRoot(matrix: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const root = Math.sqrt(Math.max(values[k], 0));
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k] * root;
      for (let j = 0; j < n; j++) out[i * n + j] += vik * vectors[j * n + k];
    }
  }
  return out;
}

export function frechetDistance(a: FeatureStats, b: FeatureStats): number {
  const n = a.dimension;
  if (b.dimension !== n) throw new RangeError(`frechetDistance: ${n}-d and ${b.dimension}-d features`);
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < n; i++) {
    meanTerm += (a.mean[i] - b.mean[i]) ** 2;
    traces += a.covariance[i * n + i] + b.covariance[i * n + i];
  }
  const rootA = psdSquareRoot(a.covariance, n);
  const inner = multiply(multiply(rootA, b.covariance, n), rootA, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inner[i * n + j] = inner[j * n + i] = (inner[i * n + j] + inner[j * n + i]) / 2;
  const { values } = symmetricEigen(inner, n);
  let traceRoot = 0;
  for (const v of values) traceRoot += Math.sqrt(Math.max(v, 0));
  return meanTerm + traces - 2 * traceRoot;
}

export function fid(real: readonly ArrayLike<number>[], synthetic: readonly ArrayLike<number>[]): number {
  return frechetDistance(featureStats(real), featureStats(synthetic));
}
