import { describe, expect, it } from 'vitest';
import { grayImage } from '../image/grayImage.ts';
import { channelsFirst, imageToTensor } from './imageTensor.ts';

describe('imageToTensor', () => {
  it('pads to a centred square, resizes, scales and lays out NCHW', () => {
    // 4x2 landscape -> 4x4 square (rows of 0 above and below) -> 2x2 area average
    const img = grayImage(4, 2, Float32Array.from([10, 10, 30, 30, 10, 10, 30, 30]));
    const { data, dims } = imageToTensor(img, { size: 2, channels: 3, scale: 0.5, offset: -1 });
    expect(dims).toEqual([1, 3, 2, 2]);
    // each 2x2 block holds one image row of 2 pixels and one padding row -> mean 5 / 15
    const plane = [5 * 0.5 - 1, 15 * 0.5 - 1, 5 * 0.5 - 1, 15 * 0.5 - 1];
    expect(Array.from(data)).toEqual([...plane, ...plane, ...plane]);
  });
  it('gives each channel its own scale and offset when the manifest lists one per channel (ImageNet mean and std)', () => {
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const pre = { size: 1, channels: 3, scale: std.map((s) => 1 / (255 * s)), offset: mean.map((m, c) => -m / std[c]) };
    const { data } = imageToTensor(grayImage(1, 1, Float32Array.of(51)), pre);
    for (let c = 0; c < 3; c++) expect(data[c]).toBeCloseTo((0.2 - mean[c]) / std[c], 6);
  });
  it('interleaves the channels for a channels-last (nhwc) model, and channelsFirst undoes it', () => {
    const img = grayImage(2, 2, Float32Array.of(10, 20, 30, 40));
    const first = imageToTensor(img, { size: 2, channels: 2, scale: [1, 2], offset: [0, 1] });
    const last = imageToTensor(img, { size: 2, channels: 2, scale: [1, 2], offset: [0, 1], layout: 'nhwc' });
    expect(Array.from(first.data)).toEqual([10, 20, 30, 40, 21, 41, 61, 81]);
    expect(last.dims).toEqual([1, 2, 2, 2]);
    expect(Array.from(last.data)).toEqual([10, 21, 20, 41, 30, 61, 40, 81]);
    expect(channelsFirst(last.data, last.dims)).toEqual({ data: first.data, dims: first.dims });
  });
  it('maps 0..255 to [0,1] with the reference scale', () => {
    const { data } = imageToTensor(grayImage(1, 1, Float32Array.of(255)), { size: 1, channels: 1, scale: 1 / 255, offset: 0 });
    expect(data[0]).toBeCloseTo(1, 6);
  });
});
