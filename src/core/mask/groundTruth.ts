/**
 * The one rule that turns a user's ground-truth mask image into a 0/1 mask, used by
 * `cxr-studio evaluate`, `cxr-studio analyze --masks`, the Evaluate page and the Analyze
 * page: foreground is every pixel at or above half of the mask's own brightest value.
 *
 * Why half of the maximum and not "> 0": masks arrive as 0/1, 0/255, 0/65535 or
 * anti-aliased / JPEG-noisy gray, and "> 0" turns the noise floor of a gray mask into
 * lung (Dice 0.36 instead of 0.95 on the same file, issue 20). Half of the maximum is
 * the midpoint of any two-level mask whatever its bit depth, and as the reference
 * generator binarised its training masks (> 127 of 255). An all-zero mask stays empty.
 */
export function groundTruthMask(values: ArrayLike<number>): Uint8Array {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const mask = new Uint8Array(values.length);
  if (max <= 0) return mask;
  const half = max / 2;
  for (let i = 0; i < values.length; i++) mask[i] = values[i] >= half ? 1 : 0;
  return mask;
}
