import { describe, expect, it } from 'vitest';
import { paintStroke, strokeBBox } from './raster.ts';
import { count } from './testShapes.ts';

describe('paintStroke', () => {
  it('paints a disc of the brush radius for a single point', () => {
    const side = 32;
    const mask = new Uint8Array(side * side);
    paintStroke(mask, side, [{ x: 16, y: 16 }], 5, 1);
    // pixel-centre disc of radius 5: area close to pi r^2
    expect(Math.abs(count(mask) - Math.PI * 25) / (Math.PI * 25)).toBeLessThan(0.05);
    expect(mask[16 * side + 16]).toBe(1);
    expect(mask[16 * side + 22]).toBe(0);
  });
  it('covers a capsule along the path, width = 2 * radius, and reports a box holding every change', () => {
    const side = 64;
    const mask = new Uint8Array(side * side);
    const points = [{ x: 10, y: 20 }, { x: 50, y: 20 }];
    const box = paintStroke(mask, side, points, 3, 1)!;
    for (let x = 10; x < 50; x++) {
      let column = 0;
      for (let y = 0; y < side; y++) column += mask[y * side + x];
      expect(column).toBe(6);
    }
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      const x = i % side;
      const y = Math.floor(i / side);
      expect(x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1).toBe(true);
    }
  });
  it('erases with value 0 and never paints a zero-size stroke empty', () => {
    const side = 16;
    const mask = new Uint8Array(side * side).fill(1);
    paintStroke(mask, side, [{ x: 2.5, y: 2.5 }, { x: 12.5, y: 2.5 }], 0.1, 0);
    expect(count(mask)).toBe(side * side - 11);
  });
  it('clips to the raster', () => {
    const side = 8;
    const mask = new Uint8Array(side * side);
    expect(strokeBBox([{ x: -10, y: -10 }], 2, side)).toBeNull();
    const box = paintStroke(mask, side, [{ x: 0, y: 0 }, { x: 8, y: 8 }], 1, 1);
    expect(box).toEqual({ x0: 0, y0: 0, x1: 8, y1: 8 });
    expect(mask[0]).toBe(1);
    expect(mask[63]).toBe(1);
  });
});
