/**
 * Classifier-free guidance: eps = eps_u + s * (eps_c - eps_u).
 * `batched` holds the conditional half first, then the unconditional half
 * ([cond, uncond] along the batch axis, as the pipeline runs them in one batch of 2).
 */
export function applyGuidance(batched: Float32Array, scale: number): Float32Array {
  if (batched.length % 2 !== 0) throw new RangeError(`guidance needs a [cond, uncond] batch, got ${batched.length} values`);
  const half = batched.length / 2;
  const out = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    const uncond = batched[half + i];
    out[i] = uncond + scale * (batched[i] - uncond);
  }
  return out;
}
