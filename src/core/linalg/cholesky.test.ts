import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../rng.ts';
import { choleskySolve } from './cholesky.ts';

describe('choleskySolve', () => {
  it('solves a random SPD system to 1e-10 (A = MᵀM + I, residual checked)', () => {
    const n = 12;
    const u = mulberry32(7);
    const m = Float64Array.from({ length: n * n }, () => u() - 0.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
      a[i * n + j] = s;
    }
    const b = Float64Array.from({ length: n }, () => u());
    const x = choleskySolve(a, b, n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      expect(Math.abs(s - b[i])).toBeLessThan(1e-10);
    }
  });
  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2)).toThrow('not positive definite');
  });
});
