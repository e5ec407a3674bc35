import type { ModalityImage } from './dicomPixels.ts';
import { grayImage } from './grayImage.ts';
import { resizeArea } from './resample.ts';

/** Images with a side above this are downscaled on arrival (the models see 256 px anyway). */
export const MAX_SIDE = 4096;
/** ...to this long side, keeping the aspect ratio. */
export const DOWNSCALED_SIDE = 2048;

/**
 * Keep a huge image (e.g. 8000x8000) from multiplying into gigabytes of float
 * copies downstream: area-average it to DOWNSCALED_SIDE on the long side.
 * Returns the image unchanged when it is small enough.
 */
export function limitSize<T extends ModalityImage>(image: T, maxSide = MAX_SIDE, targetSide = DOWNSCALED_SIDE): { image: T; downscaledFrom?: [number, number] } {
  const long = Math.max(image.width, image.height);
  if (long <= maxSide) return { image };
  const scale = targetSide / long;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const small = resizeArea(grayImage(image.width, image.height, image.values), width, height);
  return { image: { ...image, width, height, values: small.data }, downscaledFrom: [image.width, image.height] };
}
