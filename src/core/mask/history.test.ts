import { describe, expect, it } from 'vitest';
import { emptyHistory, recordPatch, takeRedo, takeUndo, type EditHistory } from './history.ts';
import { applyPatch, makePatch } from './patch.ts';
import { paintStroke } from './raster.ts';

describe('edit history', () => {
  it('undoes and redoes 60+ strokes back to the exact rasters, one stroke per step', () => {
    const side = 64;
    const mask = new Uint8Array(side * side);
    const states = [mask.slice()];
    let history: EditHistory = emptyHistory(60);
    for (let k = 0; k < 70; k++) {
      const before = mask.slice();
      const box = paintStroke(mask, side, [{ x: k % 64, y: (k * 7) % 64 }, { x: (k * 13) % 64, y: (k * 29) % 64 }], 2, k % 5 === 4 ? 0 : 1);
      const patch = makePatch('lung', before, mask, side, box);
      if (!patch) continue;
      history = recordPatch(history, patch);
      states.push(mask.slice());
    }
    const recorded = history.undo.length;
    expect(recorded).toBeGreaterThanOrEqual(50);
    const last = states.length - 1;
    for (let k = 0; k < recorded; k++) {
      const step = takeUndo(history)!;
      applyPatch(mask, side, step.patch, 'undo');
      history = step.history;
    }
    expect(takeUndo(history)).toBeNull();
    expect(mask).toEqual(states[last - recorded]);
    for (let k = 0; k < recorded; k++) {
      const step = takeRedo(history)!;
      applyPatch(mask, side, step.patch, 'redo');
      history = step.history;
    }
    expect(mask).toEqual(states[last]);
  });
  it('drops the oldest past capacity, and a new edit clears redo', () => {
    const patch = (n: number) => ({ layer: 'lung', bbox: { x0: 0, y0: 0, x1: 1, y1: 1 }, before: Uint8Array.of(0), after: Uint8Array.of(n) });
    let history = emptyHistory(50);
    for (let n = 0; n < 55; n++) history = recordPatch(history, patch(n));
    expect(history.undo.length).toBe(50);
    expect(history.undo[0].after[0]).toBe(5);
    history = takeUndo(history)!.history;
    expect(history.redo.length).toBe(1);
    history = recordPatch(history, patch(99));
    expect(history.redo.length).toBe(0);
    expect(() => emptyHistory(0)).toThrow(/capacity/);
  });
});
