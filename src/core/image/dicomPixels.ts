import { fullRangeWindow, type Window } from './windowLevel.ts';

/** Pixel description read from a DICOM header (already decoded from the file). */
export interface DicomPixelInfo {
  rows: number;
  columns: number;
  /** Stored values, one per pixel, sign already applied (PixelRepresentation). */
  stored: ArrayLike<number>;
  rescaleSlope: number;
  rescaleIntercept: number;
  photometric: 'MONOCHROME1' | 'MONOCHROME2';
  /** First VOI window in the file, in modality units, if any. */
  window?: Window;
  /** What was done to read it that a user should know (e.g. high bits masked to BitsStored). */
  notes?: string[];
}

export interface ModalityImage {
  width: number;
  height: number;
  /** Modality values: stored * slope + intercept. */
  values: Float32Array;
  /** The window to show (and to feed models) by default. */
  window: Window;
  /** MONOCHROME1: low values are bright, so the display must be inverted. */
  invert: boolean;
}

/**
 * Modality LUT (rescale slope/intercept) and the default VOI window. Display
 * and model input both go through applyWindow(values, window, invert), so a
 * MONOCHROME1 radiograph reaches the model with bright bones like the
 * MONOCHROME2 images it was trained on.
 */
export function toModalityImage(info: DicomPixelInfo): ModalityImage {
  const count = info.rows * info.columns;
  if (info.stored.length < count) {
    throw new RangeError(`DICOM pixel data: expected ${count} values for ${info.columns}x${info.rows}, received ${info.stored.length}`);
  }
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = info.stored[i] * info.rescaleSlope + info.rescaleIntercept;
  const window = info.window && info.window.width >= 1 ? info.window : fullRangeWindow(values);
  return { width: info.columns, height: info.rows, values, window, invert: info.photometric === 'MONOCHROME1' };
}
