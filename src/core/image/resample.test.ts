import { describe, expect, it } from 'vitest';
import golden from './fixtures/resample_golden.json';
import { grayImage } from './grayImage.ts';
import { resize, resizeArea, resizeBilinear } from './resample.ts';

// Golden values from fixtures/make_resample_golden.py (numpy weight matrices,
// PyTorch align_corners=False / adaptive average pooling semantics). Tolerance 1e-3.
describe('resample (golden)', () => {
  const input = grayImage(golden.input.width, golden.input.height, Float32Array.from(golden.input.data));
  for (const c of golden.cases) {
    it(`${c.method} 7x5 -> ${c.width}x${c.height}`, () => {
      const out = c.method === 'bilinear' ? resizeBilinear(input, c.width, c.height) : resizeArea(input, c.width, c.height);
      expect(out.width).toBe(c.width);
      expect(out.height).toBe(c.height);
      out.data.forEach((v, i) => expect(v).toBeCloseTo(c.expected[i], 3));
    });
  }
});

describe('resize', () => {
  it('averages 2x2 blocks when halving (area)', () => {
    const img = grayImage(4, 2, Float32Array.from([0, 2, 10, 20, 4, 6, 30, 40]));
    expect(Array.from(resize(img, 2, 1).data)).toEqual([3, 25]);
  });
  it('keeps a constant image constant both ways', () => {
    const img = grayImage(3, 3, new Float32Array(9).fill(42));
    expect(new Set(resize(img, 8, 8).data)).toEqual(new Set([42]));
    expect(new Set(resize(img, 2, 2).data)).toEqual(new Set([42]));
  });
  it('returns a copy at the same size', () => {
    const img = grayImage(2, 2, Float32Array.from([1, 2, 3, 4]));
    const out = resize(img, 2, 2);
    expect(out.data).not.toBe(img.data);
    expect(Array.from(out.data)).toEqual([1, 2, 3, 4]);
  });
});
