import { standardNormal } from '../rng.ts';

export interface ElasticParams {
  /** Standard deviation of the displacement, in pixels. */
  strength: number;
  /** Spacing of the random control grid, in pixels: larger is smoother. */
  smoothness: number;
  seed: number;
}

/** A displacement per pixel: the warped mask at p reads the source at p + (dx, dy). */
export interface DisplacementField {
  side: number;
  dx: Float32Array;
  dy: Float32Array;
}

/** Uniform cubic B-spline weights for fraction t: smooth (C2) and never overshooting. */
function bsplineWeights(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(1 - t) ** 3 / 6, (3 * t3 - 6 * t2 + 4) / 6, (-3 * t3 + 3 * t2 + 3 * t + 1) / 6, t3 / 6];
}

/**
 * A smooth random displacement field: standard normals from `seed` (src/core/rng.ts, the
 * same in every engine) on a control grid every `smoothness` pixels, interpolated with a
 * cubic B-spline and scaled to `strength` pixels. The same parameters give the same
 * field bit for bit.
 */
export function elasticField(side: number, params: ElasticParams): DisplacementField {
  const { strength, smoothness, seed } = params;
  if (!(smoothness >= 1)) throw new RangeError(`elastic smoothness must be at least 1 pixel, got ${smoothness}`);
  const cells = Math.ceil(side / smoothness) + 3;
  const normals = standardNormal(seed >>> 0, 2 * cells * cells);
  // Interpolation shrinks the spread of the control values. At a grid node the 2-D weights
  // are products of the 1-D ones, so the field's std there is sum(w1d^2) = 0.5: undo it.
  const nodeStd = [1 / 6, 4 / 6, 1 / 6].reduce((sum, w) => sum + w * w, 0);
  const gain = strength / nodeStd;
  const dx = new Float32Array(side * side);
  const dy = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    const gy = (y + 0.5) / smoothness;
    const jy = Math.floor(gy);
    const wy = bsplineWeights(gy - jy);
    for (let x = 0; x < side; x++) {
      const gx = (x + 0.5) / smoothness;
      const jx = Math.floor(gx);
      const wx = bsplineWeights(gx - jx);
      let sx = 0;
      let sy = 0;
      for (let m = 0; m < 4; m++) {
        const row = (jy + m) * cells;
        for (let n = 0; n < 4; n++) {
          const w = wy[m] * wx[n];
          const k = 2 * (row + jx + n);
          sx += w * normals[k];
          sy += w * normals[k + 1];
        }
      }
      dx[y * side + x] = sx * gain;
      dy[y * side + x] = sy * gain;
    }
  }
  return { side, dx, dy };
}
