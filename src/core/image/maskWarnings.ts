/**
 * Warnings about a ground-truth mask that is readable but probably not what
 * its author meant. The mask is still used; the warning travels with the result.
 */

/** Foreground above this fraction of the frame, with the border mostly foreground: likely inverted. */
export const INVERTED_FRACTION = 0.6;
/** Foreground below this fraction of the frame (but not zero): nearly empty. */
export const NEARLY_EMPTY_FRACTION = 0.005;

export function maskWarnings(mask: Uint8Array, width: number, height: number, notes: readonly string[] = []): string[] {
  const warnings = notes.filter((n) => n.includes('alpha')).map(() => 'mask is stored in the alpha channel (the gray channels are uniform): read from alpha');
  let foreground = 0;
  for (const v of mask) foreground += v ? 1 : 0;
  const fraction = foreground / Math.max(mask.length, 1);
  let border = 0;
  let borderOn = 0;
  for (let x = 0; x < width; x++) {
    border += 2;
    borderOn += (mask[x] ? 1 : 0) + (mask[(height - 1) * width + x] ? 1 : 0);
  }
  for (let y = 1; y < height - 1; y++) {
    border += 2;
    borderOn += (mask[y * width] ? 1 : 0) + (mask[y * width + width - 1] ? 1 : 0);
  }
  if (fraction > INVERTED_FRACTION && borderOn / Math.max(border, 1) > 0.5) {
    warnings.push(`mask covers ${(fraction * 100).toFixed(0)}% of the frame including its border: it looks inverted (foreground and background swapped)`);
  }
  if (foreground > 0 && fraction < NEARLY_EMPTY_FRACTION) {
    warnings.push(`mask is nearly empty: ${foreground} foreground pixel(s), ${(fraction * 100).toFixed(2)}% of the frame`);
  }
  return warnings;
}
