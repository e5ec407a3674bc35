import { clipBBox, unionBBox, type BBox } from './bbox.ts';

/** A point in pixel coordinates: pixel (i, j) covers [i, i+1) x [j, j+1), its centre is (i+0.5, j+0.5). */
export interface Point {
  x: number;
  y: number;
}

/** The pixels a round brush of `radius` swept along `points` can touch. */
export function strokeBBox(points: readonly Point[], radius: number, side: number): BBox | null {
  let box: BBox | null = null;
  for (const p of points) {
    box = unionBBox(box, { x0: Math.floor(p.x - radius), y0: Math.floor(p.y - radius), x1: Math.ceil(p.x + radius) + 1, y1: Math.ceil(p.y + radius) + 1 });
  }
  return box && clipBBox(box, side);
}

function distanceToSegmentSq(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / lengthSq));
  const ex = px - (a.x + t * dx);
  const ey = py - (a.y + t * dy);
  return ex * ex + ey * ey;
}

/**
 * Paints a round brush of `radius` along the polyline `points` (one point = a dot):
 * every pixel whose centre lies within `radius` of the path gets `value`. A radius
 * under 0.5 still paints the pixel under each point, so a thin stroke is never empty.
 * Returns the box that may have changed (see `strokeBBox`), or null.
 */
export function paintStroke(mask: Uint8Array, side: number, points: readonly Point[], radius: number, value: 0 | 1): BBox | null {
  if (points.length === 0) return null;
  const r = Math.max(radius, 0.5);
  const rSq = r * r;
  const segments = points.length === 1 ? [[points[0], points[0]]] : points.slice(1).map((p, i) => [points[i], p]);
  for (const [a, b] of segments) {
    const box = strokeBBox([a, b], r, side);
    if (!box) continue;
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0; x < box.x1; x++) {
        if (distanceToSegmentSq(x + 0.5, y + 0.5, a, b) <= rSq) mask[y * side + x] = value;
      }
    }
  }
  return strokeBBox(points, r, side);
}
