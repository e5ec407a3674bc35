import { describe, expect, it } from 'vitest';
import { fillRegion, floodRegion } from './floodFill.ts';
import { paintStroke } from './raster.ts';
import { count } from './testShapes.ts';

/** A closed ring drawn as a 1-pixel 8-connected (diagonal-stepping) polygon outline. */
function diamondRing(side: number, c: number, r: number): Uint8Array {
  const mask = new Uint8Array(side * side);
  for (let k = 0; k <= r; k++) {
    for (const [x, y] of [[c + k, c - r + k], [c + r - k, c + k], [c - k, c + r - k], [c - r + k, c - k]]) mask[y * side + x] = 1;
  }
  return mask;
}

describe('flood fill', () => {
  it('does not leak through a closed diagonal (8-connected) boundary', () => {
    const side = 41;
    const mask = diamondRing(side, 20, 12);
    const ring = count(mask);
    const region = floodRegion(mask, side, 20, 20)!;
    fillRegion(mask, region, 1);
    // interior of the diamond |dx| + |dy| < 12: 2*11*12 + 1 = 265 pixels
    expect(region.pixels.length).toBe(265);
    expect(count(mask)).toBe(ring + 265);
    expect(mask[0]).toBe(0);
    expect(region.bbox).toEqual({ x0: 9, y0: 9, x1: 32, y1: 32 });
  });
  it('does not leak out of a closed brush stroke, and fills the outside up to it', () => {
    const side = 64;
    const mask = new Uint8Array(side * side);
    const circle = Array.from({ length: 41 }, (_, k) => ({ x: 32 + 20 * Math.cos((k / 40) * 2 * Math.PI), y: 32 + 20 * Math.sin((k / 40) * 2 * Math.PI) }));
    paintStroke(mask, side, circle, 1, 1);
    const outside = floodRegion(mask, side, 0, 0)!;
    const inside = floodRegion(mask, side, 32, 32)!;
    expect(outside.pixels.length + inside.pixels.length + count(mask)).toBe(side * side);
    expect(Math.abs(inside.pixels.length - Math.PI * 19 * 19) / (Math.PI * 19 * 19)).toBeLessThan(0.08);
  });
  it('fills the whole raster when there is no boundary, and nothing off the raster', () => {
    const side = 8;
    const mask = new Uint8Array(side * side);
    expect(floodRegion(mask, side, 3, 3)!.pixels.length).toBe(64);
    expect(floodRegion(mask, side, 8, 0)).toBeNull();
  });
});
