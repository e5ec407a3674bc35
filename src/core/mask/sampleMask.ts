/**
 * How a warped mask reads its source: `nearest` takes the pixel under the point;
 * `linear` interpolates the 0/1 values bilinearly and keeps >= 0.5, which gives smoother
 * edges under rotation. Both return 0 or 1, so a mask stays binary however often it is
 * transformed, and both read exactly the source pixel at pixel centres (identity is exact).
 */
export type MaskSampling = 'nearest' | 'linear';

/** The mask value at continuous point (x, y) (pixel centres at i + 0.5); outside is 0. */
export function sampleMask(mask: ArrayLike<number>, side: number, x: number, y: number, sampling: MaskSampling): 0 | 1 {
  if (sampling === 'nearest') {
    const i = Math.floor(x);
    const j = Math.floor(y);
    return i >= 0 && j >= 0 && i < side && j < side && mask[j * side + i] > 0 ? 1 : 0;
  }
  const fx = x - 0.5;
  const fy = y - 0.5;
  const i = Math.floor(fx);
  const j = Math.floor(fy);
  const tx = fx - i;
  const ty = fy - j;
  const at = (u: number, v: number) => (u >= 0 && v >= 0 && u < side && v < side && mask[v * side + u] > 0 ? 1 : 0);
  const top = at(i, j) * (1 - tx) + at(i + 1, j) * tx;
  const bottom = at(i, j + 1) * (1 - tx) + at(i + 1, j + 1) * tx;
  return top * (1 - ty) + bottom * ty >= 0.5 ? 1 : 0;
}
