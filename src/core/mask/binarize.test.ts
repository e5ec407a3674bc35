import { describe, expect, it } from 'vitest';
import { binarize, maskArea } from './binarize.ts';

describe('binarize / maskArea', () => {
  it('is strictly greater than the threshold', () => {
    expect(Array.from(binarize(Float32Array.from([0.2, 0.5, 0.51, 1]), 0.5))).toEqual([0, 0, 1, 1]);
  });
  it('counts foreground pixels and their fraction', () => {
    expect(maskArea(Uint8Array.from([1, 0, 1, 1]))).toEqual({ pixels: 3, fraction: 0.75 });
    expect(maskArea(new Uint8Array(0))).toEqual({ pixels: 0, fraction: 0 });
  });
});
