import type { Preprocess } from '../manifest/types.ts';
import type { GrayImage } from '../image/grayImage.ts';
import { resize } from '../image/resample.ts';
import { padToSquare } from '../image/squarePad.ts';

/**
 * 0..255 gray image -> NCHW float32 [1, channels, size, size] with
 * x = pixel * scale + offset; gray is repeated across channels for models
 * that expect RGB-shaped input.
 */
export function imageToTensor(pixels: GrayImage, pre: Preprocess): { data: Float32Array; dims: number[] } {
  const square = resize(padToSquare(pixels), pre.size, pre.size);
  const plane = pre.size * pre.size;
  const data = new Float32Array(plane * pre.channels);
  for (let i = 0; i < plane; i++) data[i] = square.data[i] * pre.scale + pre.offset;
  for (let c = 1; c < pre.channels; c++) data.copyWithin(c * plane, 0, plane);
  return { data, dims: [1, pre.channels, pre.size, pre.size] };
}
