import { describe, expect, it } from 'vitest';
import { fillPolygon } from './polygon.ts';
import { count } from './testShapes.ts';

describe('fillPolygon', () => {
  it('fills exactly the pixels whose centres are inside an axis-aligned rectangle', () => {
    const side = 10;
    const mask = new Uint8Array(side * side);
    const box = fillPolygon(mask, side, [{ x: 2, y: 3 }, { x: 7, y: 3 }, { x: 7, y: 6 }, { x: 2, y: 6 }], 1);
    expect(count(mask)).toBe(5 * 3);
    expect(mask[3 * side + 2]).toBe(1);
    expect(mask[5 * side + 6]).toBe(1);
    expect(mask[6 * side + 2]).toBe(0);
    expect(box).toEqual({ x0: 2, y0: 3, x1: 8, y1: 7 });
  });
  it('fills a triangle with half the area of its box, and a lasso with a hole by even-odd', () => {
    const side = 200;
    const mask = new Uint8Array(side * side);
    fillPolygon(mask, side, [{ x: 0, y: 0 }, { x: 200, y: 0 }, { x: 0, y: 200 }], 1);
    expect(Math.abs(count(mask) - 20000) / 20000).toBeLessThan(0.01);
    const star = new Uint8Array(side * side);
    // pentagram: its centre pentagon is crossed twice, so even-odd leaves it empty
    const points = [0, 2, 4, 1, 3].map((k) => ({ x: 100 + 90 * Math.sin((k * 2 * Math.PI) / 5), y: 100 - 90 * Math.cos((k * 2 * Math.PI) / 5) }));
    fillPolygon(star, side, points, 1);
    expect(star[100 * side + 100]).toBe(0);
    expect(star[25 * side + 100]).toBe(1);
  });
  it('ignores fewer than three points and can erase', () => {
    const side = 6;
    const mask = new Uint8Array(side * side).fill(1);
    expect(fillPolygon(mask, side, [{ x: 0, y: 0 }, { x: 5, y: 5 }], 0)).toBeNull();
    fillPolygon(mask, side, [{ x: 0, y: 0 }, { x: 6, y: 0 }, { x: 6, y: 6 }, { x: 0, y: 6 }], 0);
    expect(count(mask)).toBe(0);
  });
});
