/** Probability map -> 0/1 mask: strictly above the threshold is foreground. */
export function binarize(probabilities: Float32Array, threshold: number): Uint8Array {
  const mask = new Uint8Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) mask[i] = probabilities[i] > threshold ? 1 : 0;
  return mask;
}

/** Foreground pixel count and fraction of the image it covers. */
export function maskArea(mask: ArrayLike<number>): { pixels: number; fraction: number } {
  let pixels = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] > 0) pixels++;
  return { pixels, fraction: mask.length === 0 ? 0 : pixels / mask.length };
}
