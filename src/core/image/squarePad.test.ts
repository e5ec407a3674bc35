import { describe, expect, it } from 'vitest';
import { grayImage } from './grayImage.ts';
import { cropFromSquare, padToSquare, squarePadding } from './squarePad.ts';

describe('square padding', () => {
  it('centres a landscape image with black above and below', () => {
    const img = grayImage(4, 2, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const sq = padToSquare(img);
    expect(squarePadding(4, 2)).toEqual({ side: 4, left: 0, top: 1 });
    expect(Array.from(sq.data)).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
    expect(Array.from(cropFromSquare(sq, 4, 2).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it('centres a portrait image (odd padding goes right)', () => {
    const img = grayImage(1, 4, Float32Array.from([1, 2, 3, 4]));
    expect(squarePadding(1, 4)).toEqual({ side: 4, left: 1, top: 0 });
    expect(Array.from(cropFromSquare(padToSquare(img), 1, 4).data)).toEqual([1, 2, 3, 4]);
  });
});
