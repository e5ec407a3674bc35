import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { RasterDecoder } from '../image/decode.ts';
import { meanPairwiseMsSsim } from '../metrics/msSsim.ts';
import { mulberry32 } from '../rng.ts';
import { promptDiversity, rasterPlane } from './diversity.ts';

const SIZE = 176;

/** A gray 8-bit PNG of a wave plus noise, as a generated image is stored. */
function grayPng(seed: number): { png: Uint8Array; pixels: Uint8Array } {
  const u = mulberry32(seed);
  const pixels = Uint8Array.from({ length: SIZE * SIZE }, (_, i) => Math.round(127 + 80 * Math.sin((i % SIZE) / 9) + 40 * (u() - 0.5)));
  return { png: encode({ width: SIZE, height: SIZE, data: pixels, channels: 1, depth: 8 }), pixels };
}

/** fast-png as the platform decoder, expanded to RGBA as createImageBitmap gives it. */
const decodeToRgba: RasterDecoder = async (bytes) => {
  const png = decode(bytes);
  const rgba = new Uint8ClampedArray(png.width * png.height * 4);
  for (let i = 0; i < png.width * png.height; i++) rgba.fill(png.data[i], i * 4, i * 4 + 3).fill(255, i * 4 + 3, i * 4 + 4);
  return { width: png.width, height: png.height, data: rgba };
};

describe('promptDiversity', () => {
  it('is the mean pairwise MS-SSIM of the decoded images scaled to 0..1, per prompt with two or more images', async () => {
    const images = [grayPng(1), grayPng(2), grayPng(3)];
    const result = await promptDiversity(
      [{ key: 'tb', pngs: images.map((i) => i.png) }, { key: 'alone', pngs: [images[0].png] }],
      decodeToRgba,
    );
    const planes = images.map(({ pixels }) => ({ width: SIZE, height: SIZE, data: Float64Array.from(pixels, (v) => v / 255) }));
    expect(result).toEqual([{ key: 'tb', images: 3, meanMsSsim: meanPairwiseMsSsim(planes) }]);
    expect(result[0].meanMsSsim).toBeGreaterThan(0);
    expect(result[0].meanMsSsim).toBeLessThan(1);
  });
  it('reads the red channel of an RGBA raster', () => {
    const plane = rasterPlane({ width: 2, height: 1, data: Uint8ClampedArray.of(255, 0, 0, 255, 51, 9, 9, 0) });
    expect(Array.from(plane.data)).toEqual([1, 0.2]);
  });
});
