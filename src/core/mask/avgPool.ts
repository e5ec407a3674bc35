/**
 * Average-pools a square single-channel raster by `pool` x `pool` blocks
 * (256x256 mask -> 32x32 fractions for a UNet's mask_cond).
 */
export function avgPool(values: ArrayLike<number>, size: number, pool: number): Float32Array {
  if (values.length !== size * size) {
    throw new RangeError(`avgPool: expected ${size}x${size} = ${size * size} values, received ${values.length}`);
  }
  if (!Number.isInteger(pool) || pool < 1 || size % pool !== 0) {
    throw new RangeError(`avgPool: pool ${pool} must divide the side ${size}`);
  }
  const out = size / pool;
  const pooled = new Float32Array(out * out);
  for (let y = 0; y < size; y++) {
    const row = Math.floor(y / pool) * out;
    for (let x = 0; x < size; x++) pooled[row + Math.floor(x / pool)] += values[y * size + x];
  }
  const area = pool * pool;
  for (let i = 0; i < pooled.length; i++) pooled[i] /= area;
  return pooled;
}
