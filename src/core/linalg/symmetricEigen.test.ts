import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../rng.ts';
import { symmetricEigen } from './symmetricEigen.ts';

function randomSymmetric(n: number, seed: number): Float64Array {
  const u = mulberry32(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = u() - 0.5;
  return a;
}

describe('symmetricEigen (Jacobi)', () => {
  it('reconstructs A = V diag(λ) Vᵀ with orthonormal V to 1e-12', () => {
    const n = 20;
    const a = randomSymmetric(n, 3);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let recon = 0;
      let gram = 0;
      for (let k = 0; k < n; k++) {
        recon += vectors[i * n + k] * values[k] * vectors[j * n + k];
        gram += vectors[k * n + i] * vectors[k * n + j];
      }
      expect(Math.abs(recon - a[i * n + j])).toBeLessThan(1e-12);
      expect(Math.abs(gram - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    }
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  });
  it('gives the known eigenvalues of [[2,1],[1,2]]', () => {
    const { values } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
  });
});
