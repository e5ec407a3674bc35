import { describe, expect, it } from 'vitest';
import { grayImage, toGrayscale } from './grayImage.ts';

describe('toGrayscale', () => {
  it('uses ITU-R 601 luma like PIL convert("L")', () => {
    // PIL: L = R*299/1000 + G*587/1000 + B*114/1000
    const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 0]);
    const gray = toGrayscale(rgba, 2, 2, 4);
    expect(Array.from(gray.data).map((v) => +v.toFixed(3))).toEqual([76.245, 149.685, 29.07, 18.15]);
  });
  it('takes the gray sample from gray+alpha', () => {
    expect(Array.from(toGrayscale(Uint8Array.from([7, 255, 9, 0]), 2, 1, 2).data)).toEqual([7, 9]);
  });
  it('rejects short buffers and bad sizes with what it expected', () => {
    expect(() => toGrayscale(new Uint8Array(3), 2, 2, 1)).toThrow('expected 4 samples for 2x2x1, received 3');
    expect(() => grayImage(0, 3)).toThrow('expected positive integer size, received 0x3');
  });
});
