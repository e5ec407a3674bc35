import { describe, expect, it } from 'vitest';
import { limitSize } from './limitSize.ts';

const image = (width: number, height: number) => ({ width, height, values: new Float32Array(width * height).fill(7), window: { center: 128, width: 256 }, invert: false });

describe('limitSize', () => {
  it('leaves images up to the limit alone', () => {
    const small = image(40, 30);
    expect(limitSize(small, 40, 20).image).toBe(small);
  });
  it('area-downscales the long side to the target, keeping aspect and values', () => {
    const { image: out, downscaledFrom } = limitSize(image(80, 40), 50, 20);
    expect([out.width, out.height, downscaledFrom]).toEqual([20, 10, [80, 40]]);
    expect(out.values.every((v) => Math.abs(v - 7) < 1e-5)).toBe(true);
    expect(out.window).toEqual({ center: 128, width: 256 });
  });
});
