import { beforeEach, describe, expect, it } from 'vitest';
import { emptyHistory } from '../../core/mask/history.ts';
import { IDENTITY_TRANSFORM } from '../../core/mask/transform.ts';
import { applyTransform, beginStroke, clearActiveLayer, endStroke, extendStroke, fillPolygonOnActive, floodFillAt, redo, undo } from './editActions.ts';
import { blankLayers, useMasks, type MaskEdit } from './maskStore.ts';

const count = (mask: Uint8Array) => mask.reduce((s, v) => s + v, 0);
const state = () => useMasks.getState();

beforeEach(() => {
  state().set({ layers: blankLayers(['lung', 'lesion']), layerOrder: ['lung', 'lesion'], activeLayer: 'lung', history: emptyHistory<MaskEdit>(), tool: 'brush', brushSize: 8, transform: IDENTITY_TRANSFORM });
});

describe('editor actions on the store', () => {
  it('make one undo step per stroke, however many moves it had, and undo/redo it exactly', () => {
    beginStroke({ x: 20, y: 20 });
    for (let x = 22; x <= 120; x += 2) extendStroke({ x, y: 20 + x / 4 });
    endStroke();
    const drawn = state().layers.lung.slice();
    expect(count(drawn)).toBeGreaterThan(700);
    expect(state().history.undo).toHaveLength(1);
    const patch = state().history.undo[0][0];
    expect(patch.before.length).toBeLessThan(256 * 256 / 4);
    undo();
    expect(count(state().layers.lung)).toBe(0);
    redo();
    expect(state().layers.lung).toEqual(drawn);
  });
  it('erases with the eraser, fills polygons and flood-fills, each undoable', () => {
    fillPolygonOnActive([{ x: 50, y: 50 }, { x: 150, y: 50 }, { x: 150, y: 150 }, { x: 50, y: 150 }]);
    expect(count(state().layers.lung)).toBe(100 * 100);
    state().set({ tool: 'eraser' });
    beginStroke({ x: 100, y: 100 });
    endStroke();
    const erased = count(state().layers.lung);
    expect(erased).toBeLessThan(100 * 100);
    floodFillAt({ x: 100.5, y: 100.5 }); // the hole the eraser left: fills it back
    expect(count(state().layers.lung)).toBe(100 * 100);
    undo();
    expect(count(state().layers.lung)).toBe(erased);
  });
  it('transforms every layer as one undo step, and clear only the active layer', () => {
    fillPolygonOnActive([{ x: 60, y: 60 }, { x: 120, y: 60 }, { x: 120, y: 200 }, { x: 60, y: 200 }]);
    state().set({ activeLayer: 'lesion' });
    fillPolygonOnActive([{ x: 70, y: 70 }, { x: 90, y: 70 }, { x: 90, y: 90 }, { x: 70, y: 90 }]);
    const lung = state().layers.lung.slice();
    const lesion = state().layers.lesion.slice();
    state().set({ transform: { ...IDENTITY_TRANSFORM, translateX: 30 } });
    applyTransform();
    expect(state().transform).toEqual(IDENTITY_TRANSFORM);
    expect(state().layers.lung[100 * 256 + 65]).toBe(0);
    expect(state().layers.lesion[80 * 256 + 110]).toBe(1);
    expect(state().history.undo.at(-1)).toHaveLength(2);
    undo();
    expect(state().layers.lung).toEqual(lung);
    expect(state().layers.lesion).toEqual(lesion);
    clearActiveLayer();
    expect(count(state().layers.lesion)).toBe(0);
    expect(state().layers.lung).toEqual(lung);
  });
});
