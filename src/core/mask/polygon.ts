import { clipBBox, type BBox } from './bbox.ts';
import type { Point } from './raster.ts';

/** The pixels a polygon (or lasso path, closed implicitly) can cover. */
export function polygonBBox(points: readonly Point[], side: number): BBox | null {
  if (points.length < 3) return null;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return clipBBox({ x0: Math.floor(Math.min(...xs)), y0: Math.floor(Math.min(...ys)), x1: Math.ceil(Math.max(...xs)) + 1, y1: Math.ceil(Math.max(...ys)) + 1 }, side);
}

/**
 * Scanline fill of a polygon or lasso (last point joins the first) with the even-odd
 * rule, sampled at pixel centres: a pixel is inside when its centre is. Returns the box
 * that may have changed, or null for fewer than 3 points.
 */
export function fillPolygon(mask: Uint8Array, side: number, points: readonly Point[], value: 0 | 1): BBox | null {
  const box = polygonBBox(points, side);
  if (!box) return null;
  const crossings: number[] = [];
  for (let y = box.y0; y < box.y1; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let i = 0; i < points.length; i++) {
      const a = points[i];
      const b = points[(i + 1) % points.length];
      // Half-open on y so a vertex shared by two edges is counted once.
      if ((a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy)) crossings.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(box.x0, Math.ceil(crossings[k] - 0.5));
      const to = Math.min(box.x1 - 1, Math.ceil(crossings[k + 1] - 0.5) - 1);
      for (let x = from; x <= to; x++) mask[y * side + x] = value;
    }
  }
  return box;
}
