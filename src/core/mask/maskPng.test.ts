import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeMaskPng, encodeMaskPng } from './maskPng.ts';
import { lungsMask } from './testShapes.ts';

describe('mask PNG', () => {
  it('round-trips a mask through an 8-bit 0/255 PNG', () => {
    const mask = lungsMask(64);
    const png = encodeMaskPng(mask, 64);
    expect(decodeMaskPng(png, 64)).toEqual(mask);
  });
  it('resamples a square mask of another size and reads 16-bit', () => {
    const data = Uint16Array.from([65535, 0, 0, 65535]);
    const png = encode({ width: 2, height: 2, channels: 1, depth: 16, data });
    expect(Array.from(decodeMaskPng(png, 4))).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  });
  it('refuses a non-PNG, a damaged PNG and a non-square mask with a clear message', () => {
    expect(() => decodeMaskPng(new TextEncoder().encode('hello'), 64, 'notes.txt')).toThrow(/notes.txt is not a PNG/);
    const png = encodeMaskPng(lungsMask(64), 64);
    expect(() => decodeMaskPng(png.slice(0, 40), 64, 'cut.png')).toThrow(/cut.png/);
    const wide = encode({ width: 4, height: 2, channels: 1, depth: 8, data: new Uint8Array(8) });
    expect(() => decodeMaskPng(wide, 64, 'wide.png')).toThrow(/4x2; a mask must be square/);
  });
});
