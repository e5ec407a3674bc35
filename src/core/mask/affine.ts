/**
 * 2x3 affine matrices [a, b, c, d, e, f]: x' = a x + b y + c, y' = d x + e y + f,
 * in pixel coordinates (see raster.ts). Angles are radians, clockwise on screen
 * (y points down).
 */
export type Affine = readonly [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

export const translation = (tx: number, ty: number): Affine => [1, 0, tx, 0, 1, ty];
export const scaling = (sx: number, sy: number): Affine => [sx, 0, 0, 0, sy, 0];
/** x' = x + kx y, y' = ky x + y. */
export const shearing = (kx: number, ky: number): Affine => [1, kx, 0, ky, 1, 0];

export function rotation(radians: number): Affine {
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  return [cos, -sin, 0, sin, cos, 0];
}

/** `second` after `first`: compose2(f, s)(p) = s(f(p)). */
function compose2(first: Affine, second: Affine): Affine {
  const [a1, b1, c1, d1, e1, f1] = first;
  const [a2, b2, c2, d2, e2, f2] = second;
  return [a2 * a1 + b2 * d1, a2 * b1 + b2 * e1, a2 * c1 + b2 * f1 + c2, d2 * a1 + e2 * d1, d2 * b1 + e2 * e1, d2 * c1 + e2 * f1 + f2];
}

/** The matrix that applies `steps` in the order given (the first one first). */
export function compose(...steps: Affine[]): Affine {
  return steps.reduce(compose2, IDENTITY);
}

/** `m` about the point (cx, cy) instead of the origin. */
export function about(m: Affine, cx: number, cy: number): Affine {
  return compose(translation(-cx, -cy), m, translation(cx, cy));
}

export function invert(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new RangeError(`affine matrix [${m.join(', ')}] is singular (determinant ${det})`);
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}
