import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors.ts';
import { decodeImage, toDisplayRange } from './decode.ts';
import { isDicom, maskToBitsStored, parseDicomPixels } from './dicomParse.ts';
import { toModalityImage } from './dicomPixels.ts';
import { encodeDicom } from './fixtures/encodeDicom.ts';

describe('DICOM pixel scaling', () => {
  it('applies rescale slope/intercept, the file window, and reads it back through dicom-parser', async () => {
    const bytes = encodeDicom({
      rows: 2, columns: 3, pixels: Uint16Array.of(0, 100, 200, 300, 1000, 4095),
      slope: 2, intercept: -1024, window: { center: 0, width: 1000 },
    });
    expect(isDicom(bytes)).toBe(true);
    const info = await parseDicomPixels(bytes);
    expect(info).toMatchObject({ rows: 2, columns: 3, rescaleSlope: 2, rescaleIntercept: -1024, photometric: 'MONOCHROME2', window: { center: 0, width: 1000 } });
    const image = toModalityImage(info);
    expect(Array.from(image.values)).toEqual([-1024, -824, -624, -424, 976, 7166]);
    // window c=0 w=1000: low = -0.5 - 499.5 = -500, high = 499
    const display = toDisplayRange(image);
    expect(display[0]).toBe(0);
    expect(display[3]).toBeCloseTo(((-424 + 0.5) / 999 + 0.5) * 255, 4);
    expect(display[4]).toBe(255);
  });

  it('inverts MONOCHROME1 and falls back to the full range when no window is given', async () => {
    const bytes = encodeDicom({ rows: 1, columns: 3, pixels: Int16Array.of(-100, 0, 100), photometric: 'MONOCHROME1' });
    const image = await decodeImage(bytes);
    expect(image.format).toBe('dicom');
    expect(image.invert).toBe(true);
    const display = toDisplayRange(image);
    expect(display[0]).toBe(255);
    expect(display[2]).toBeCloseTo(0, 4);
  });

  it('refuses a transfer syntax it has no decoder for, by code and name', async () => {
    const bytes = encodeDicom({ rows: 1, columns: 1, pixels: Uint16Array.of(1), transferSyntax: '1.2.840.10008.1.2.4.100' });
    const error = await parseDicomPixels(bytes).catch((e: StudioError) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('dicom-unsupported');
    expect((error as StudioError).message).toMatch(/transfer syntax 1.2.840.10008.1.2.4.100 is not supported; supported: .*JPEG-LS lossless/);
  });

  it('reports truncated pixel data', async () => {
    const bytes = encodeDicom({ rows: 4, columns: 4, pixels: new Uint16Array(16) });
    await expect(parseDicomPixels(bytes.subarray(0, bytes.length - 10))).rejects.toThrow(StudioError);
  });
});

describe('DICOM BitsStored', () => {
  it('keeps the low BitsStored bits, sign-extending signed values, and counts the pixels it changed', () => {
    const unsigned = Float32Array.of(0x0fff, 0xf123, 0x1000);
    expect(maskToBitsStored(unsigned, 12, false)).toBe(2);
    expect(Array.from(unsigned)).toEqual([0x0fff, 0x0123, 0]);
    const signed = Float32Array.of(-1, 2047, 0x0800, -2048);
    expect(maskToBitsStored(signed, 12, true)).toBe(1);
    expect(Array.from(signed)).toEqual([-1, 2047, -2048, -2048]);
  });

  it('refuses a file declaring 65535x65535 before reading its pixels, and names a truncated header', async () => {
    const tiny = encodeDicom({ rows: 2, columns: 2, pixels: new Uint16Array(4) });
    const at = Buffer.from(tiny).indexOf(Buffer.from([0x28, 0, 0x10, 0, 0x55, 0x53]), 132);
    new DataView(tiny.buffer).setUint16(at + 8, 65535, true);
    await expect(decodeImage(tiny)).rejects.toThrow('DICOM declares 2x65535 pixels');
    await expect(decodeImage(tiny.subarray(0, 150))).rejects.toThrow(/DICOM could not be parsed \(the file is truncated or damaged\): (?!\[object)/);
  });
});
