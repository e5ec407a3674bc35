import { describe, expect, it } from 'vitest';
import { maskOutline } from './outline';

describe('maskOutline', () => {
  it('keeps the ring of a filled square and drops its inside', () => {
    const side = 5;
    const mask = new Uint8Array(side * side);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) mask[y * side + x] = 1;
    const outline = maskOutline(mask, side);
    const ring = [6, 7, 8, 11, 13, 16, 17, 18];
    expect([...outline.keys()].filter((i) => outline[i])).toEqual(ring);
  });

  it('treats the image edge as outside', () => {
    expect(Array.from(maskOutline(new Uint8Array(9).fill(1), 3))).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1]);
  });
});
