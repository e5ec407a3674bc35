import { existsSync, readFileSync } from 'node:fs';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors.ts';
import { decodeImage, sniffImageFormat, toDisplayRange } from './decode.ts';
import { cxr256 } from '../../../cli/testing/shared.ts';

const sample = cxr256('shenzhen_tb_lungseg/images/CHNCXR_0001_0.png');

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return (error as StudioError).code;
  }
}

describe('decodeImage', () => {
  it('decodes 8-bit gray PNG to the identity window', async () => {
    const png = encode({ width: 2, height: 1, data: Uint8Array.of(10, 250), channels: 1, depth: 8 });
    const image = await decodeImage(png);
    expect(image).toMatchObject({ format: 'png', width: 2, height: 1, invert: false });
    expect(Array.from(toDisplayRange(image))).toEqual([10, 250]);
  });

  it('maps 16-bit PNG onto 0..255', async () => {
    const png = encode({ width: 2, height: 1, data: Uint16Array.of(0, 65535), channels: 1, depth: 16 });
    expect(Array.from(toDisplayRange(await decodeImage(png)))).toEqual([0, 255]);
  });

  it('names the problem for non-images, truncated PNGs and JPEG without a decoder', async () => {
    expect(await codeOf(decodeImage(new TextEncoder().encode('hello, not an image')))).toBe('image-unsupported');
    const png = encode({ width: 8, height: 8, data: new Uint8Array(64).fill(9), channels: 1, depth: 8 });
    expect(await codeOf(decodeImage(png.subarray(0, 40)))).toBe('image-decode-failed');
    expect(sniffImageFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(await codeOf(decodeImage(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)))).toBe('image-unsupported');
  });

  it.skipIf(!existsSync(sample))('decodes a real 256x256 radiograph from shared/data', async () => {
    const image = await decodeImage(readFileSync(sample));
    expect([image.width, image.height]).toEqual([256, 256]);
    const display = toDisplayRange(image);
    expect(Math.min(...display)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...display)).toBeGreaterThan(200);
  });
});
