import type { BBox } from './bbox.ts';

export interface FloodRegion {
  /** Pixel indices (y * side + x) of the connected region. */
  pixels: Uint32Array;
  bbox: BBox;
}

/**
 * The 4-connected region of pixels equal to the one at (x, y). 4-connectivity means a
 * boundary drawn with 8-connected (diagonal) steps is still closed: the fill cannot
 * slip between two diagonal pixels. Reads the mask only.
 */
export function floodRegion(mask: Uint8Array, side: number, x: number, y: number): FloodRegion | null {
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= side || y >= side) return null;
  const target = mask[y * side + x];
  const seen = new Uint8Array(side * side);
  const stack = new Uint32Array(side * side);
  const pixels = new Uint32Array(side * side);
  let top = 0;
  let count = 0;
  const bbox: BBox = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
  stack[top++] = y * side + x;
  seen[y * side + x] = 1;
  while (top > 0) {
    const i = stack[--top];
    pixels[count++] = i;
    const px = i % side;
    const py = (i - px) / side;
    if (px < bbox.x0) bbox.x0 = px;
    if (px >= bbox.x1) bbox.x1 = px + 1;
    if (py < bbox.y0) bbox.y0 = py;
    if (py >= bbox.y1) bbox.y1 = py + 1;
    const neighbours = [px > 0 ? i - 1 : -1, px < side - 1 ? i + 1 : -1, py > 0 ? i - side : -1, py < side - 1 ? i + side : -1];
    for (const n of neighbours) {
      if (n < 0 || seen[n] || mask[n] !== target) continue;
      seen[n] = 1;
      stack[top++] = n;
    }
  }
  return { pixels: pixels.slice(0, count), bbox };
}

/** Sets every pixel of `region` to `value`. */
export function fillRegion(mask: Uint8Array, region: FloodRegion, value: 0 | 1): void {
  for (const i of region.pixels) mask[i] = value;
}
