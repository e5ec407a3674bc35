import { describe, expect, it } from 'vitest';
import { about, applyAffine, compose, IDENTITY, invert, rotation, scaling, shearing, translation } from './affine.ts';

const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));

describe('affine matrices', () => {
  it('apply each transform to a point', () => {
    close(applyAffine(translation(3, -2), 1, 1), [4, -1]);
    close(applyAffine(scaling(2, 3), 1, 1), [2, 3]);
    close(applyAffine(shearing(0.5, 0), 2, 4), [4, 4]);
    // 90 degrees clockwise on screen (y down): +x goes to +y
    close(applyAffine(rotation(Math.PI / 2), 1, 0), [0, 1]);
    close(applyAffine(about(rotation(Math.PI), 5, 5), 6, 5), [4, 5]);
  });
  it('composes in the order given', () => {
    const m = compose(translation(1, 0), scaling(2, 2));
    close(applyAffine(m, 0, 0), [2, 0]);
    const n = compose(scaling(2, 2), translation(1, 0));
    close(applyAffine(n, 0, 0), [1, 0]);
    expect(compose()).toEqual(IDENTITY);
  });
  it('inverts, and refuses a singular matrix', () => {
    const m = compose(shearing(0.2, -0.1), rotation(0.3), scaling(1.2, 0.8), translation(4, -7));
    close(compose(m, invert(m)), IDENTITY);
    expect(() => invert(scaling(0, 1))).toThrow(/singular/);
  });
});
