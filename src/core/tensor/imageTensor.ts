import type { Preprocess } from '../manifest/types.ts';
import type { GrayImage } from '../image/grayImage.ts';
import { resize } from '../image/resample.ts';
import { padToSquare } from '../image/squarePad.ts';

/**
 * 0..255 gray image -> float32 [1, channels, size, size] (or [1, size, size, channels]
 * for an 'nhwc' layout) with x = pixel * scale + offset; gray is repeated across
 * channels for models that expect RGB-shaped input, each channel with its own scale
 * and offset when the manifest gives one per channel (ImageNet normalization).
 */
export function imageToTensor(pixels: GrayImage, pre: Preprocess): { data: Float32Array; dims: number[] } {
  const square = resize(padToSquare(pixels), pre.size, pre.size);
  const plane = pre.size * pre.size;
  const channels = pre.channels;
  const data = new Float32Array(plane * channels);
  const perChannel = (value: number | number[], c: number) => (typeof value === 'number' ? value : value[c]);
  // element (c, i) sits at c * plane + i channels-first, at i * channels + c channels-last
  const last = pre.layout === 'nhwc';
  const [step, start] = last ? [channels, (c: number) => c] : [1, (c: number) => c * plane];
  for (let c = 0; c < channels; c++) {
    const scale = perChannel(pre.scale, c);
    const offset = perChannel(pre.offset, c);
    for (let i = 0, at = start(c); i < plane; i++, at += step) data[at] = square.data[i] * scale + offset;
  }
  return { data, dims: last ? [1, pre.size, pre.size, channels] : [1, channels, pre.size, pre.size] };
}

/** [1, height, width, channels] -> [1, channels, height, width]: a channels-last segmenter's output in the order the pipeline reads. */
export function channelsFirst(data: Float32Array, dims: readonly number[]): { data: Float32Array; dims: number[] } {
  const [n, height, width, channels] = dims;
  const plane = height * width;
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) {
    const base = b * plane * channels;
    for (let i = 0; i < plane; i++) for (let c = 0; c < channels; c++) out[base + c * plane + i] = data[base + i * channels + c];
  }
  return { data: out, dims: [n, channels, height, width] };
}
