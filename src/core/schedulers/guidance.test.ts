import { describe, expect, it } from 'vitest';
import { applyGuidance } from './guidance';

describe('classifier-free guidance', () => {
  it('computes eps_u + s (eps_c - eps_u) from a [cond, uncond] batch', () => {
    const batched = Float32Array.from([1, 2, -1, 0.5, 0, 0]);
    expect(Array.from(applyGuidance(batched, 3))).toEqual([2, 6, -3]);
  });

  it('scale 1 is the conditional prediction and scale 0 the unconditional', () => {
    const batched = Float32Array.from([0.25, -0.75, 0.5, 0.125]);
    expect(Array.from(applyGuidance(batched, 1))).toEqual([0.25, -0.75]);
    expect(Array.from(applyGuidance(batched, 0))).toEqual([0.5, 0.125]);
  });

  it('rejects an odd batch', () => {
    expect(() => applyGuidance(new Float32Array(3), 2)).toThrow(RangeError);
  });
});
