import { ImageError } from '../errors.ts';
import { MAX_ASPECT_RATIO, MIN_IMAGE_SIDE } from './limits.ts';
import { decodeImage, type LoadedImage, type RasterDecoder } from './decode.ts';

/**
 * Refuse an image no chest radiograph could be before a model scores it: a
 * side below MIN_IMAGE_SIDE (a 1x1 PNG is otherwise scored "normal" with
 * confidence) or a long/short ratio above MAX_ASPECT_RATIO (a 4096x8 strip).
 */
export function checkPlausibleRadiograph(image: { width: number; height: number }): void {
  const { width, height } = image;
  if (Math.min(width, height) < MIN_IMAGE_SIDE) {
    throw new ImageError('image-implausible', `image is ${width}x${height}; a radiograph needs at least ${MIN_IMAGE_SIDE} px a side`);
  }
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (ratio > MAX_ASPECT_RATIO) {
    throw new ImageError('image-implausible', `image is ${width}x${height} (aspect ratio ${ratio.toFixed(1)}:1); a radiograph is at most ${MAX_ASPECT_RATIO}:1`);
  }
}

/** Decode an image that is to be scored, and refuse it if it cannot be a radiograph. */
export async function decodeRadiograph(bytes: Uint8Array, decodeRaster?: RasterDecoder): Promise<LoadedImage> {
  const image = await decodeImage(bytes, decodeRaster);
  checkPlausibleRadiograph(image);
  return image;
}
