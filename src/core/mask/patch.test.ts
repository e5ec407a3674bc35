import { describe, expect, it } from 'vitest';
import { applyPatch, makePatch } from './patch.ts';
import { paintStroke, strokeBBox } from './raster.ts';

describe('mask patches', () => {
  it('record only the touched box, and undo/redo restore the layer exactly', () => {
    const side = 64;
    const mask = new Uint8Array(side * side);
    paintStroke(mask, side, [{ x: 40, y: 40 }], 6, 1);
    const before = mask.slice();
    const points = [{ x: 10, y: 10 }, { x: 30, y: 14 }];
    const box = paintStroke(mask, side, points, 3, 1);
    expect(box).toEqual(strokeBBox(points, 3, side));
    const after = mask.slice();
    const patch = makePatch('lung', before, after, side, box)!;
    expect(patch.before.length).toBeLessThan(side * side / 4);
    applyPatch(mask, side, patch, 'undo');
    expect(mask).toEqual(before);
    applyPatch(mask, side, patch, 'redo');
    expect(mask).toEqual(after);
  });
  it('find the changed box themselves, and are null when nothing changed', () => {
    const side = 8;
    const a = new Uint8Array(side * side);
    const b = a.slice();
    b[2 * side + 5] = 1;
    const patch = makePatch('lesion', a, b, side)!;
    expect(patch.bbox).toEqual({ x0: 5, y0: 2, x1: 6, y1: 3 });
    expect(Array.from(patch.after)).toEqual([1]);
    expect(makePatch('lung', a, a, side)).toBeNull();
    expect(makePatch('lung', a, a, side, { x0: 0, y0: 0, x1: 4, y1: 4 })).toBeNull();
  });
});
