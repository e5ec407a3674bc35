import { describe, expect, it } from 'vitest';
import { setShift, shiftScore, validateShiftReference, type ShiftReference } from './datasetShift.ts';

// dim 3, one kept direction (x axis, variance 4), the rest at variance 1
const ref: ShiftReference = {
  format: 'cxr-studio-shift/1', method: 'mahalanobis-ppca', features: 'features', dim: 3, k: 1,
  mean: [1, 0, 0], components: [1, 0, 0], variances: [4], residual_variance: 1,
  threshold: 2, false_alarm: 0.05,
  fitted_on: { sources: ['a', 'b'], split: 'train', n: 10 }, calibrated_on: { sources: ['a', 'b'], split: 'val', n: 10 },
};

describe('dataset shift score', () => {
  it('is the Mahalanobis distance in the kept directions plus the residual, per dimension', () => {
    // x: (3 - 1)^2 / 4 = 1; residual: 2^2 + 1^2 = 5 at variance 1; (1 + 5) / 3
    expect(shiftScore(ref, [3, 2, 1])).toBeCloseTo(2, 12);
    expect(shiftScore(ref, [1, 0, 0])).toBe(0);
    expect(() => shiftScore(ref, [1, 2])).toThrow('dataset shift: expected 3 features, received 2');
  });

  it('flags a set only when more images are flagged than the false-alarm rate explains', () => {
    const typical = setShift(ref, Array.from({ length: 100 }, (_, i) => (i < 6 ? 3 : 1)));
    expect(typical).toMatchObject({ n: 100, flagged: 6, share: 0.06, warning: false, trainedOn: ['a', 'b'] });
    expect(typical.setLimit).toBeCloseTo(0.05 + 3 * Math.sqrt(0.05 * 0.95 / 100), 12);
    expect(setShift(ref, Array.from({ length: 100 }, (_, i) => (i < 30 ? 3 : 1))).warning).toBe(true);
  });

  it('refuses a malformed reference, naming what is wrong', () => {
    expect(() => validateShiftReference({ ...ref, components: [1, 0] })).toThrow('shift.json: components: expected 1 x 3 numbers');
    expect(() => validateShiftReference({ ...ref, variances: [0] })).toThrow('variances: expected 1 positive numbers');
    expect(validateShiftReference(ref)).toBe(ref);
  });
});
