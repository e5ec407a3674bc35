/** A pixel rectangle [x0, x1) x [y0, y1) inside a square raster. */
export interface BBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function bboxArea(box: BBox): number {
  return Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0);
}

export function unionBBox(a: BBox | null, b: BBox | null): BBox | null {
  if (!a) return b;
  if (!b) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** The box clipped to a side x side raster, or null when nothing is left. */
export function clipBBox(box: BBox, side: number): BBox | null {
  const clipped = { x0: Math.max(0, box.x0), y0: Math.max(0, box.y0), x1: Math.min(side, box.x1), y1: Math.min(side, box.y1) };
  return clipped.x1 > clipped.x0 && clipped.y1 > clipped.y0 ? clipped : null;
}

/** The smallest box around the pixels where two rasters differ, or null when they are equal. */
export function diffBBox(a: ArrayLike<number>, b: ArrayLike<number>, side: number): BBox | null {
  let box: BBox | null = null;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = y * side + x;
      if (a[i] === b[i]) continue;
      if (!box) box = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
      else {
        box.x0 = Math.min(box.x0, x);
        box.x1 = Math.max(box.x1, x + 1);
        box.y1 = y + 1;
      }
    }
  }
  return box;
}
