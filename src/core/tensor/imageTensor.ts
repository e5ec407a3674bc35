import type { Preprocess } from '../manifest/types.ts';
import type { GrayImage } from '../image/grayImage.ts';
import { resize } from '../image/resample.ts';
import { padToSquare } from '../image/squarePad.ts';

/**
 * 0..255 gray image -> NCHW float32 [1, channels, size, size] with
 * x = pixel * scale + offset; gray is repeated across channels for models
 * that expect RGB-shaped input, each channel with its own scale and offset
 * when the manifest gives one per channel (ImageNet normalization).
 */
export function imageToTensor(pixels: GrayImage, pre: Preprocess): { data: Float32Array; dims: number[] } {
  const square = resize(padToSquare(pixels), pre.size, pre.size);
  const plane = pre.size * pre.size;
  const data = new Float32Array(plane * pre.channels);
  const perChannel = (value: number | number[], c: number) => (typeof value === 'number' ? value : value[c]);
  for (let c = 0; c < pre.channels; c++) {
    const scale = perChannel(pre.scale, c);
    const offset = perChannel(pre.offset, c);
    const out = data.subarray(c * plane, (c + 1) * plane);
    for (let i = 0; i < plane; i++) out[i] = square.data[i] * scale + offset;
  }
  return { data, dims: [1, pre.channels, pre.size, pre.size] };
}
