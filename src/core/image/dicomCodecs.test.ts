import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors.ts';
import { decodeImage } from './decode.ts';
import { decodeFrame, decodeRle } from './dicomCodecs.ts';
import { parseDicomPixels } from './dicomParse.ts';

// Files and expected stored values from make_dicom_codec_fixtures.py (pydicom and
// imagecodecs: encoders and, for the lossy syntaxes, reference decoders independent of ours).
const DIR = join(import.meta.dirname, 'fixtures/dicom');
const golden = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  cases: { file: string; transferSyntax: string; rows: number; columns: number; photometric: string; note: string; expected: string }[];
};
const expectedValues = (base64: string) => Array.from(new Int32Array(new Uint8Array(Buffer.from(base64, 'base64')).buffer));

describe('compressed DICOM transfer syntaxes against pydicom/imagecodecs fixtures', () => {
  it('covers deflate, RLE, JPEG baseline and extended (8-bit), JPEG lossless (two predictors), JPEG-LS, JPEG 2000 and HTJ2K (lossless and lossy)', () => {
    expect(new Set(golden.cases.map((c) => c.transferSyntax))).toEqual(
      new Set(['1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91', '1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.203']),
    );
  });

  for (const c of golden.cases) {
    it(`${c.file}: ${c.note}`, async () => {
      const info = await parseDicomPixels(new Uint8Array(readFileSync(join(DIR, c.file))));
      expect([info.rows, info.columns, info.photometric]).toEqual([c.rows, c.columns, c.photometric]);
      const expected = expectedValues(c.expected);
      const actual = Array.from(info.stored);
      if (['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.203'].includes(c.transferSyntax)) {
        // Lossy, and the reference decoder is another implementation or build that may round
        // the inverse transform differently: jpeg-js against libjpeg-turbo, Cornerstone's
        // OpenJPH build against imagecodecs' newer one. At most 1 stored value apart.
        expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i])))).toBeLessThanOrEqual(1);
      } else {
        expect(actual).toEqual(expected);
      }
    });
  }

  it('inverts the MONOCHROME1 RLE file on display, signed values kept', async () => {
    const image = await decodeImage(new Uint8Array(readFileSync(join(DIR, 'rle_signed_monochrome1.dcm'))));
    expect(image.invert).toBe(true);
    expect(Math.min(...image.values)).toBeLessThan(0);
  });

  it('refuses JPEG extended with 12-bit samples, which has no decoder here, naming syntax and bit depth', async () => {
    const error = await parseDicomPixels(new Uint8Array(readFileSync(join(DIR, 'unsupported_jpeg_extended_12bit.dcm')))).catch((e: StudioError) => e);
    expect((error as StudioError).code).toBe('dicom-unsupported');
    expect((error as StudioError).message).toMatch(/1\.2\.840\.10008\.1\.2\.4\.51 \(JPEG extended\) with 12-bit samples has no decoder here/);
  });

  it('turns a corrupt codestream into an image-decode-failed error naming the codec', async () => {
    const layout = { rows: 4, columns: 4, bitsAllocated: 16 as const, signed: false };
    for (const [syntax, name] of [['1.2.840.10008.1.2.4.80', 'JPEG-LS'], ['1.2.840.10008.1.2.4.90', 'JPEG 2000'], ['1.2.840.10008.1.2.4.57', 'JPEG lossless'], ['1.2.840.10008.1.2.4.201', 'HTJ2K']]) {
      const error = await decodeFrame(syntax, new Uint8Array(40).fill(7), layout).catch((e: StudioError) => e);
      expect(error, syntax).toBeInstanceOf(StudioError);
      expect((error as StudioError).code).toBe('image-decode-failed');
      expect((error as StudioError).message).toContain(name);
    }
  });

  it('RLE: a segment that ends early is reported, not padded', () => {
    const frame = new Uint8Array(64 + 2);
    new DataView(frame.buffer).setUint32(0, 1, true);
    new DataView(frame.buffer).setUint32(4, 64, true);
    frame.set([1, 9], 64); // literal run of 2 bytes, but only 1 present
    expect(() => decodeRle(frame, { rows: 2, columns: 2, bitsAllocated: 8, signed: false })).toThrow(/ends after 1 of 4 pixels/);
  });
});
