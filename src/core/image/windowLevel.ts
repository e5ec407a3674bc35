/**
 * Window/level (VOI LUT) to 0..255, using the DICOM PS3.3 C.11.2.1.2.1 linear
 * function so DICOM windows read from a file mean what they say. Window
 * (center 128, width 256) is the identity on 8-bit values.
 */
export interface Window {
  center: number;
  width: number;
}

export const IDENTITY_WINDOW_8BIT: Window = { center: 128, width: 256 };

export function windowValue(value: number, { center, width }: Window): number {
  const w = Math.max(width, 1);
  const low = center - 0.5 - (w - 1) / 2;
  const high = center - 0.5 + (w - 1) / 2;
  if (value <= low) return 0;
  if (value > high) return 255;
  return ((value - (center - 0.5)) / (w - 1) + 0.5) * 255;
}

/** Apply a window to every value; `invert` flips the result (MONOCHROME1 display). */
export function applyWindow(values: Float32Array, window: Window, invert = false, out = new Float32Array(values.length)): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const v = windowValue(values[i], window);
    out[i] = invert ? 255 - v : v;
  }
  return out;
}

/** A window spanning the data's range; used when a DICOM file gives none. */
export function fullRangeWindow(values: Float32Array): Window {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return IDENTITY_WINDOW_8BIT;
  const width = Math.max(max - min + 1, 2);
  return { center: min + width / 2, width };
}
