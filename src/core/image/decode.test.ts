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

  it('windows a 16-bit PNG holding 12-bit data over its real range, and says so', async () => {
    const png = encode({ width: 3, height: 1, data: Uint16Array.of(100, 2000, 4000), channels: 1, depth: 16 });
    const image = await decodeImage(png);
    expect(Array.from(toDisplayRange(image)).map(Math.round)).toEqual([0, 124, 255]);
    expect(image.notes?.[0]).toMatch(/uses only values 100\.\.4000 .*12 bits/);
  });

  it('checks PNG CRC-32 and Adler-32: a flipped byte is an error, not a damaged image', async () => {
    const png = encode({ width: 16, height: 16, data: Uint8Array.from({ length: 256 }, (_, i) => i), channels: 1, depth: 8 });
    const idat = Buffer.from(png).indexOf('IDAT');
    const flipped = png.slice();
    flipped[idat + 10] ^= 0x01;
    await expect(decodeImage(flipped)).rejects.toThrow(/chunk IDAT fails its CRC-32/);
  });

  it('refuses a declared size above the limit before decoding', async () => {
    const png = encode({ width: 8, height: 8, data: new Uint8Array(64), channels: 1, depth: 8 });
    const view = new DataView(png.buffer, png.byteOffset);
    view.setUint32(16, 20000);
    view.setUint32(20, 20000);
    expect(await codeOf(decodeImage(png))).toBe('image-too-large');
  });

  it('decodes JPEG with jpeg-js when the host has no platform decoder', async () => {
    const { default: jpeg } = await import('jpeg-js');
    const rgba = new Uint8Array(64 * 64 * 4).fill(200);
    const encoded = jpeg.encode({ width: 64, height: 64, data: rgba }, 90).data;
    const image = await decodeImage(new Uint8Array(encoded));
    expect([image.format, image.width, image.height]).toEqual(['jpeg', 64, 64]);
    expect(Math.abs(image.values[0] - 200)).toBeLessThan(3);
  });

  it('maps 16-bit PNG onto 0..255', async () => {
    const png = encode({ width: 2, height: 1, data: Uint16Array.of(0, 65535), channels: 1, depth: 16 });
    expect(Array.from(toDisplayRange(await decodeImage(png)))).toEqual([0, 255]);
  });

  it('names the problem for non-images, truncated PNGs and truncated JPEGs', async () => {
    expect(await codeOf(decodeImage(new TextEncoder().encode('hello, not an image')))).toBe('image-unsupported');
    const png = encode({ width: 8, height: 8, data: new Uint8Array(64).fill(9), channels: 1, depth: 8 });
    expect(await codeOf(decodeImage(png.subarray(0, 40)))).toBe('image-decode-failed');
    expect(sniffImageFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(await codeOf(decodeImage(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)))).toBe('image-decode-failed');
  });

  it.skipIf(!existsSync(sample))('decodes a real 256x256 radiograph from shared/data', async () => {
    const image = await decodeImage(readFileSync(sample));
    expect([image.width, image.height]).toEqual([256, 256]);
    const display = toDisplayRange(image);
    expect(Math.min(...display)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...display)).toBeGreaterThan(200);
  });
});
