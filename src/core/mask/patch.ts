import { diffBBox, type BBox } from './bbox.ts';

/**
 * One undoable edit of one layer: the box it touched and the pixels in that box before
 * and after, row by row. A stroke's patch is a few hundred bytes, not a canvas copy.
 */
export interface MaskPatch {
  layer: string;
  bbox: BBox;
  before: Uint8Array;
  after: Uint8Array;
}

export function cropBBox(mask: ArrayLike<number>, side: number, box: BBox): Uint8Array {
  const width = box.x1 - box.x0;
  const out = new Uint8Array(width * (box.y1 - box.y0));
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) out[(y - box.y0) * width + x - box.x0] = mask[y * side + x];
  }
  return out;
}

function pasteBBox(mask: Uint8Array, side: number, box: BBox, pixels: Uint8Array): void {
  const width = box.x1 - box.x0;
  for (let y = box.y0; y < box.y1; y++) mask.set(pixels.subarray((y - box.y0) * width, (y - box.y0 + 1) * width), y * side + box.x0);
}

/**
 * The patch from `before` to `after` (full rasters of one layer). With `bbox` (the box an
 * edit reported) only that box is compared; without it, the box of changed pixels is
 * found. Null when nothing changed.
 */
export function makePatch(layer: string, before: ArrayLike<number>, after: ArrayLike<number>, side: number, bbox?: BBox | null): MaskPatch | null {
  const box = bbox === undefined ? diffBBox(before, after, side) : bbox;
  if (!box) return null;
  const patch = { layer, bbox: box, before: cropBBox(before, side, box), after: cropBBox(after, side, box) };
  return patch.before.every((v, i) => v === patch.after[i]) ? null : patch;
}

/** Writes the patch's `before` (undo) or `after` (redo) pixels into the layer. */
export function applyPatch(mask: Uint8Array, side: number, patch: MaskPatch, direction: 'undo' | 'redo'): void {
  pasteBBox(mask, side, patch.bbox, direction === 'undo' ? patch.before : patch.after);
}
