import { unionBBox, type BBox } from '../../core/mask/bbox.ts';
import { fillRegion, floodRegion } from '../../core/mask/floodFill.ts';
import { recordPatch, takeRedo, takeUndo } from '../../core/mask/history.ts';
import { applyPatch, makePatch, type MaskPatch } from '../../core/mask/patch.ts';
import { fillPolygon } from '../../core/mask/polygon.ts';
import { paintStroke, type Point } from '../../core/mask/raster.ts';
import { IDENTITY_TRANSFORM, transformMask } from '../../core/mask/transform.ts';
import { useMasks } from './maskStore.ts';

/** The stroke being drawn: a snapshot of its layer so the finished stroke becomes one patch. */
let stroke: { layer: string; before: Uint8Array; last: Point; box: BBox | null; value: 0 | 1 } | undefined;

function commit(patches: (MaskPatch | null)[]): void {
  const edit = patches.filter((p): p is MaskPatch => p !== null);
  const store = useMasks.getState();
  if (edit.length > 0) store.set({ history: recordPatch(store.history, edit) });
  store.bump();
}

function radius(): number {
  return useMasks.getState().brushSize / 2;
}

export function beginStroke(point: Point): void {
  const { layers, activeLayer, side, tool } = useMasks.getState();
  const mask = layers[activeLayer];
  const value = tool === 'eraser' ? 0 : 1;
  stroke = { layer: activeLayer, before: mask.slice(), last: point, box: paintStroke(mask, side, [point], radius(), value), value };
  useMasks.getState().bump();
}

export function extendStroke(point: Point): void {
  if (!stroke) return;
  const { layers, side } = useMasks.getState();
  stroke.box = unionBBox(stroke.box, paintStroke(layers[stroke.layer], side, [stroke.last, point], radius(), stroke.value));
  stroke.last = point;
  useMasks.getState().bump();
}

/** One stroke, however many pointer moves it took, is one undo step. */
export function endStroke(): void {
  if (!stroke) return;
  const { layers, side } = useMasks.getState();
  const { layer, before, box } = stroke;
  stroke = undefined;
  commit([makePatch(layer, before, layers[layer], side, box)]);
}

export function isStroking(): boolean {
  return stroke !== undefined;
}

export function fillPolygonOnActive(points: Point[], value: 0 | 1 = 1): void {
  const { layers, activeLayer, side } = useMasks.getState();
  const mask = layers[activeLayer];
  const before = mask.slice();
  const box = fillPolygon(mask, side, points, value);
  commit([makePatch(activeLayer, before, mask, side, box)]);
}

export function floodFillAt(point: Point): void {
  const { layers, activeLayer, side } = useMasks.getState();
  const mask = layers[activeLayer];
  const region = floodRegion(mask, side, Math.floor(point.x), Math.floor(point.y));
  if (!region) return;
  const before = mask.slice();
  fillRegion(mask, region, mask[region.pixels[0]] ? 0 : 1);
  commit([makePatch(activeLayer, before, mask, side, region.bbox)]);
}

/** Replace some layers' pixels as one undoable edit (clear, load, transform). */
export function replaceLayers(next: Record<string, Uint8Array>): void {
  const { layers, side } = useMasks.getState();
  const patches = Object.entries(next).map(([name, pixels]) => {
    const mask = layers[name];
    if (!mask) return null;
    const before = mask.slice();
    mask.set(pixels);
    return makePatch(name, before, mask, side);
  });
  commit(patches);
}

export function clearActiveLayer(): void {
  const { activeLayer, side } = useMasks.getState();
  replaceLayers({ [activeLayer]: new Uint8Array(side * side) });
}

function step(direction: 'undo' | 'redo'): void {
  const store = useMasks.getState();
  const taken = direction === 'undo' ? takeUndo(store.history) : takeRedo(store.history);
  if (!taken) return;
  const ordered = direction === 'undo' ? [...taken.patch].reverse() : taken.patch;
  for (const patch of ordered) applyPatch(store.layers[patch.layer], store.side, patch, direction);
  store.set({ history: taken.history });
  store.bump();
}

export const undo = () => step('undo');
export const redo = () => step('redo');

/** Apply the previewed transform to every layer (one undo step) and reset the controls. */
export function applyTransform(): void {
  const { layers, side, transform } = useMasks.getState();
  const next = Object.fromEntries(Object.entries(layers).map(([name, mask]) => [name, transformMask(mask, side, transform)]));
  replaceLayers(next);
  useMasks.getState().set({ transform: IDENTITY_TRANSFORM });
}
