import { describe, expect, it } from 'vitest';
import { bboxArea, clipBBox, diffBBox, unionBBox } from './bbox.ts';

describe('bbox', () => {
  it('unions, clips and measures boxes', () => {
    expect(unionBBox({ x0: 1, y0: 2, x1: 3, y1: 4 }, { x0: 0, y0: 3, x1: 2, y1: 6 })).toEqual({ x0: 0, y0: 2, x1: 3, y1: 6 });
    expect(unionBBox(null, null)).toBeNull();
    expect(clipBBox({ x0: -2, y0: 3, x1: 12, y1: 5 }, 10)).toEqual({ x0: 0, y0: 3, x1: 10, y1: 5 });
    expect(clipBBox({ x0: 11, y0: 0, x1: 12, y1: 5 }, 10)).toBeNull();
    expect(bboxArea({ x0: 1, y0: 1, x1: 4, y1: 3 })).toBe(6);
  });
  it('finds the box of changed pixels', () => {
    const a = new Uint8Array(16);
    const b = a.slice();
    b[1 * 4 + 2] = 1;
    b[3 * 4 + 0] = 1;
    expect(diffBBox(a, b, 4)).toEqual({ x0: 0, y0: 1, x1: 3, y1: 4 });
    expect(diffBBox(a, a, 4)).toBeNull();
  });
});
