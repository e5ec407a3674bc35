/**
 * Writes testdata/bad-inputs/: damaged and unusual inputs mixed with good ones,
 * and cases.json saying, for each, what `cxr-studio evaluate` / `analyze` (and
 * the Evaluate page) must do with it. Deterministic: the same shared images
 * give the same bytes. Run: npx tsx scripts/make-bad-inputs.ts
 *
 * The good images are three public radiographs whose terms allow redistribution
 * (two NIH ChestX-ray14, no restrictions; one Kermany et al. 2018, CC BY 4.0),
 * area-downscaled to 128x128 to keep the corpus small; ATTRIBUTION.md credits
 * them. Masks are drawn here (two ellipses), not taken from any data set.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { deflateSync, zlibSync } from 'fflate';
import jpeg from 'jpeg-js';
import { encodeDicom } from '../src/core/image/fixtures/encodeDicom.ts';
import { grayImage } from '../src/core/image/grayImage.ts';
import { resizeArea } from '../src/core/image/resample.ts';
import { decodeImage } from '../src/core/image/decode.ts';
import { crc32 } from '../src/core/image/pngIntegrity.ts';
import { concatBytes } from '../src/core/data/bytes.ts';
import type { CorpusCase, CorpusOutcome, CorpusRun } from '../cli/testing/badInputCorpus.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'testdata/bad-inputs');
const SHARED = resolve(process.env.CXR_SHARED ?? join(ROOT, '../shared'), 'data/cxr256');
const SIDE = 128;

const SOURCES = [
  { stem: 'nih-normal', file: 'nih_cxr14_pneumonia/images/00001280_004.png', label: 'normal', credit: 'NIH Clinical Center ChestX-ray14, image 00001280_004 (No Finding); no restrictions on use; cite Wang et al. 2017' },
  { stem: 'nih-pneumonia', file: 'nih_cxr14_pneumonia/images/PNEUMONIA_PLACEHOLDER', label: 'pneumonia', credit: '' },
  { stem: 'kermany-normal', file: 'kermany_pediatric_pneumonia/images/IM-0273-0001.png', label: 'normal', credit: 'Kermany et al. 2018 (Mendeley Data rscbjbr9sj v2), image IM-0273-0001 (normal); CC BY 4.0; downscaled to 128x128' },
];

// ---------------------------------------------------------------- small writers

function pngGray(width: number, height: number, data: Uint8Array | Uint16Array, depth: 8 | 16 = 8, channels = 1): Uint8Array {
  return encodePng({ width, height, data, depth, channels });
}


function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function ihdr(width: number, height: number, depth: number, colorType: number): Uint8Array {
  const body = new Uint8Array(13);
  const view = new DataView(body.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  body[8] = depth;
  body[9] = colorType;
  return chunk('IHDR', body);
}

/** A PNG written chunk by chunk, for headers that lie. */
function rawPng(width: number, height: number, depth: number, colorType: number, idat: Uint8Array, extra: Uint8Array[] = []): Uint8Array {
  return concatBytes(PNG_SIGNATURE, ihdr(width, height, depth, colorType), ...extra, chunk('IDAT', idat), chunk('IEND', new Uint8Array(0)));
}

function idatOffset(png: Uint8Array): number {
  return Buffer.from(png).indexOf('IDAT') + 4;
}

function jpegOf(gray: Uint8Array, width: number, height: number, quality = 90): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < gray.length; i++) rgba.set([gray[i], gray[i], gray[i], 255], i * 4);
  return new Uint8Array(jpeg.encode({ width, height, data: rgba }, quality).data);
}

/** Set a US value element (explicit VR little endian) of a DICOM written by encodeDicom. */
function patchUs(dicom: Uint8Array, group: number, element: number, value: number): Uint8Array {
  const out = dicom.slice();
  const tag = Buffer.from([group & 0xff, group >> 8, element & 0xff, element >> 8, 0x55, 0x53]);
  const at = Buffer.from(out).indexOf(tag, 132);
  if (at < 0) throw new Error(`tag ${group.toString(16)},${element.toString(16)} not found`);
  new DataView(out.buffer).setUint16(at + 8, value, true);
  return out;
}

interface ZipEntry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Uncompressed size written in the headers (a lie), zip64 when above 4 GiB. */
  declaredSize?: number;
  /** Flip a byte of the stored data after the CRC is computed. */
  damage?: boolean;
}

/** A zip written by hand: fflate cannot write the zip64 sizes or lying headers the bombs need. */
function writeZip(entries: ZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  let zip64 = false;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const stored = e.deflate === false ? e.data : deflateSync(e.data, { level: 9 });
    if (e.damage) stored[Math.floor(stored.length / 2)] ^= 0xff;
    const size = e.declaredSize ?? e.data.length;
    const big = size > 0xfffffffe;
    zip64 ||= big;
    const extra = big ? new Uint8Array(28) : new Uint8Array(0);
    if (big) {
      const v = new DataView(extra.buffer);
      v.setUint16(0, 1, true);
      v.setUint16(2, 24, true);
      v.setBigUint64(4, BigInt(size), true);
      v.setBigUint64(12, BigInt(stored.length), true);
      v.setBigUint64(20, BigInt(offset), true);
    }
    const method = e.deflate === false ? 0 : 8;
    const crc = crc32(e.data);
    const local = new Uint8Array(30 + name.length + stored.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, big ? 45 : 20, true);
    lv.setUint16(8, method, true);
    lv.setUint16(12, 0x21, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, big ? 0xffffffff : stored.length, true);
    lv.setUint32(22, big ? 0xffffffff : size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(stored, 30 + name.length);
    const central = new Uint8Array(46 + name.length + extra.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, big ? 45 : 20, true);
    cv.setUint16(6, big ? 45 : 20, true);
    cv.setUint16(10, method, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, big ? 0xffffffff : stored.length, true);
    cv.setUint32(24, big ? 0xffffffff : size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint32(42, big ? 0xffffffff : offset, true);
    central.set(name, 46);
    central.set(extra, 46 + name.length);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cd = concatBytes(...centrals);
  const tail: Uint8Array[] = [];
  if (zip64) {
    const record = new Uint8Array(56);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(entries.length), true);
    rv.setBigUint64(32, BigInt(entries.length), true);
    rv.setBigUint64(40, BigInt(cd.length), true);
    rv.setBigUint64(48, BigInt(offset), true);
    const locator = new Uint8Array(20);
    const lv = new DataView(locator.buffer);
    lv.setUint32(0, 0x07064b50, true);
    lv.setBigUint64(8, BigInt(offset + cd.length), true);
    lv.setUint32(16, 1, true);
    tail.push(record, locator);
  }
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cd.length, true);
  ev.setUint32(16, offset, true);
  return concatBytes(...locals, cd, ...tail, end);
}

/** Two ellipses where lungs would be, 0/255. */
function lungMask(side: number, value = 255): Uint8Array {
  const mask = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const inside = (cx: number) => ((x - cx) / (side * 0.17)) ** 2 + ((y - side * 0.5) / (side * 0.31)) ** 2 <= 1;
      if (inside(side * 0.31) || inside(side * 0.69)) mask[y * side + x] = value;
    }
  }
  return mask;
}

// ---------------------------------------------------------------- the corpus

type Outcome = CorpusOutcome;
type Case = CorpusCase;
type Run = CorpusRun;

const cases: Case[] = [];
const runs: Run[] = [];
const write = (path: string, bytes: Uint8Array | string) => {
  mkdirSync(dirname(join(OUT, path)), { recursive: true });
  writeFileSync(join(OUT, path), bytes);
};
const add = (c: Case) => cases.push(c);

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  // Good images: 128x128, 8-bit
  const pneumoniaRow = readFileSync(join(SHARED, 'nih_cxr14_pneumonia/labels.csv'), 'utf8').split('\n').find((l) => l.includes(',Pneumonia,'));
  if (!pneumoniaRow) throw new Error('no Pneumonia row in nih_cxr14_pneumonia/labels.csv');
  const pneumoniaFile = pneumoniaRow.split(',')[0];
  SOURCES[1].file = `nih_cxr14_pneumonia/${pneumoniaFile}`;
  SOURCES[1].credit = `NIH Clinical Center ChestX-ray14, image ${pneumoniaFile.replace(/^images\/|\.png$/g, '')} (Pneumonia, label mined from reports); no restrictions on use; cite Wang et al. 2017`;
  SOURCES[0].credit += '; downscaled to 128x128';
  SOURCES[1].credit += '; downscaled to 128x128';
  const good: Record<string, Uint8Array> = {};
  for (const s of SOURCES) {
    const decoded = await decodeImage(readFileSync(join(SHARED, s.file)));
    const small = resizeArea(grayImage(decoded.width, decoded.height, decoded.values), SIDE, SIDE);
    good[s.stem] = Uint8Array.from(small.data, (v) => Math.round(Math.min(255, Math.max(0, v))));
  }
  const A = good['nih-normal'];
  const B = good['nih-pneumonia'];
  const C = good['kermany-normal'];

  // ------------------------------------------------ run images: evaluate, classification, one folder
  const img = (name: string, bytes: Uint8Array, label: string, c: Omit<Case, 'run' | 'files' | 'id'> & { id?: string }) => {
    write(`images/${name}`, bytes);
    labels.push([name, label]);
    add({ id: c.id ?? name.replace(/\./g, '-'), run: 'evaluate-images', files: [`images/${name}`], ...c });
  };
  const labels: Array<[string, string]> = [];
  const goodPngA = pngGray(SIDE, SIDE, A);
  const goodPngB = pngGray(SIDE, SIDE, B);
  img('good-nih-normal.png', goodPngA, 'normal', { defect: 'none: a good 8-bit PNG', expect: 'scored' });
  img('good-nih-pneumonia.png', goodPngB, 'pneumonia', { defect: 'none: a good 8-bit PNG', expect: 'scored' });
  img('good-kermany.jpg', jpegOf(C, SIDE, SIDE), 'normal', { defect: 'a JPEG (the CLI had no JPEG decoder)', expect: 'scored' });
  img('jpeg-named-png.png', jpegOf(A, SIDE, SIDE, 75), 'normal', { defect: 'a JPEG with a .png name (decoded by content)', expect: 'scored' });
  img('UPPER CASE ä.PNG', goodPngB, 'pneumonia', { id: 'upper-case-unicode-name', defect: 'upper-case extension, a space and a non-ASCII letter in the name', expect: 'scored' });
  img('=HYPERLINK(1).png', goodPngA, 'normal', { id: 'formula-like-name', defect: 'a file name that a spreadsheet would run as a formula (the CSV export must escape it)', expect: 'scored' });
  const rgba = new Uint8Array(SIDE * SIDE * 4);
  for (let i = 0; i < A.length; i++) rgba.set([A[i], A[i], A[i], 255], i * 4);
  img('rgba-opaque.png', pngGray(SIDE, SIDE, rgba, 8, 4), 'normal', { defect: 'RGBA with an opaque alpha channel', expect: 'scored' });
  const palette = Array.from({ length: 256 }, (_, i) => [i, i, i] as [number, number, number]);
  img('palette.png', encodePng({ width: SIDE, height: SIDE, data: A, depth: 8, channels: 1, palette }), 'normal', { defect: 'indexed colour (a gray palette)', expect: 'scored' });
  img('16bit-full.png', pngGray(SIDE, SIDE, Uint16Array.from(A, (v) => v * 257), 16), 'normal', { defect: 'a 16-bit PNG using the whole range', expect: 'scored' });
  img('16bit-holding-12bit.png', pngGray(SIDE, SIDE, Uint16Array.from(B, (v) => v * 16), 16), 'pneumonia', {
    defect: '16-bit PNG holding 12-bit data (was windowed over 0..65535: near black)', expect: 'scored', message: 'windowed over that range',
  });
  img('trailing-bytes.png', concatBytes(goodPngA, new TextEncoder().encode('trailing junk after IEND')), 'normal', { defect: 'bytes after IEND (some tools append them)', expect: 'scored' });
  img('min-side-64.png', pngGray(64, 64, Uint8Array.from(resizeArea(grayImage(SIDE, SIDE, Float32Array.from(A)), 64, 64).data, Math.round)), 'normal', { defect: 'exactly the 64 px minimum side', expect: 'scored' });
  const flipped = goodPngA.slice();
  flipped[idatOffset(flipped) + 200] ^= 0x10;
  img('flipped-byte.png', flipped, 'normal', { defect: 'one flipped bit inside IDAT (was decoded damaged and scored)', expect: 'failed', message: 'IDAT fails its CRC-32' });
  // Adler-32 wrong but every CRC right: rebuild IDAT with a bad trailer
  const zlib = zlibSync(concatBytes(...Array.from({ length: SIDE }, (_, y) => concatBytes(Uint8Array.of(0), A.subarray(y * SIDE, (y + 1) * SIDE)))));
  zlib[zlib.length - 1] ^= 0x01;
  img('bad-adler.png', rawPng(SIDE, SIDE, 8, 0, zlib), 'normal', { defect: 'zlib Adler-32 wrong, chunk CRCs recomputed', expect: 'failed', message: 'Adler-32' });
  img('truncated-half.png', goodPngB.subarray(0, Math.floor(goodPngB.length / 2)), 'pneumonia', { defect: 'cut in half', expect: 'failed', message: 'truncated|cut off' });
  img('truncated-header.png', goodPngB.subarray(0, 20), 'pneumonia', { defect: 'cut inside IHDR', expect: 'failed', message: 'IHDR|truncated' });
  img('empty.png', new Uint8Array(0), 'normal', { defect: 'an empty file', expect: 'failed', message: '0 bytes' });
  img('text.png', new TextEncoder().encode('this is not an image\n'), 'normal', { defect: 'a text file with an image name', expect: 'failed', message: 'expected a PNG, JPEG or DICOM' });
  img('html.png', new TextEncoder().encode('<!doctype html><title>404</title>'), 'normal', { defect: 'an HTML error page saved as an image', expect: 'failed', message: 'expected a PNG, JPEG or DICOM' });
  img('one-pixel.png', pngGray(1, 1, Uint8Array.of(128)), 'normal', { defect: '1x1 (was scored normal, p 0.965)', expect: 'failed', message: '1x1.*at least 64 px' });
  img('tiny-63.png', pngGray(63, 63, new Uint8Array(63 * 63).fill(90)), 'normal', { defect: 'one pixel below the minimum side', expect: 'failed', message: '63x63.*at least 64 px' });
  img('strip-4096x8.png', pngGray(4096, 8, new Uint8Array(4096 * 8).fill(120)), 'normal', { defect: 'a 4096x8 strip (was scored)', expect: 'failed', message: '4096x8' });
  img('wide-1024x128.png', pngGray(1024, 128, new Uint8Array(1024 * 128).fill(120)), 'normal', { defect: 'aspect ratio 8:1', expect: 'failed', message: 'aspect ratio 8\\.0:1' });
  img('zero-size.png', rawPng(0, 0, 8, 0, zlibSync(new Uint8Array(0))), 'normal', { defect: 'IHDR declares 0x0', expect: 'failed', message: 'empty image \\(0x0\\)' });
  // 20000x20000, 1 bit: 50 MB of zero scanlines deflate to about 50 KB (a real bomb, fully decodable)
  const row = new Uint8Array(1 + 2500);
  const rows = new Uint8Array(row.length * 20000);
  const bomb = rawPng(20000, 20000, 1, 0, zlibSync(rows, { level: 9 }));
  img('bomb-20000x20000.png', bomb, 'normal', { defect: `decompression bomb: ${bomb.length} bytes declaring 20000x20000 (took analyze to 7.25 GB)`, expect: 'failed', message: 'declares 20000x20000.*limit' });
  // IHDR says 64x64, IDAT inflates to 16 MB
  img('idat-overflow.png', rawPng(64, 64, 8, 0, zlibSync(new Uint8Array(16 << 20), { level: 9 })), 'normal', { defect: 'IDAT inflates far past the size IHDR declares', expect: 'failed', message: 'inflates to more than' });
  img('bad-ancillary-crc.png', (() => {
    const text = chunk('tEXt', new TextEncoder().encode('Comment\0hello'));
    text[text.length - 1] ^= 0xff;
    return concatBytes(goodPngA.subarray(0, 33), text, goodPngA.subarray(33));
  })(), 'normal', { defect: 'a text chunk with a wrong CRC', expect: 'failed', message: 'tEXt fails its CRC-32' });
  const jpegB = jpegOf(B, SIDE, SIDE);
  img('truncated.jpg', jpegB.subarray(0, 200), 'pneumonia', { defect: 'JPEG cut before its image data', expect: 'failed', message: 'JPEG' });
  const jpegBomb = jpegOf(B, SIDE, SIDE).slice();
  const sof = Buffer.from(jpegBomb).indexOf(Buffer.from([0xff, 0xc0]));
  new DataView(jpegBomb.buffer).setUint16(sof + 5, 60000);
  new DataView(jpegBomb.buffer).setUint16(sof + 7, 60000);
  img('bomb-60000.jpg', jpegBomb, 'pneumonia', { defect: 'JPEG whose SOF declares 60000x60000', expect: 'failed', message: 'declares 60000x60000' });
  img('soi-only.jpg', Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), 'normal', { defect: 'a JPEG with no frame at all', expect: 'failed', message: 'no frame header' });

  // DICOM
  const dicomB = encodeDicom({ rows: SIDE, columns: SIDE, pixels: Uint16Array.from(B, (v) => v * 16) });
  img('good-12bit.dcm', patchUs(dicomB, 0x28, 0x101, 12), 'pneumonia', { defect: 'none: 12-bit DICOM (BitsStored 12)', expect: 'scored' });
  img('high-bits-set.dcm', patchUs(encodeDicom({ rows: SIDE, columns: SIDE, pixels: Uint16Array.from(B, (v, i) => (v * 16) | (i % 7 === 0 ? 0xf000 : 0)) }), 0x28, 0x101, 12), 'pneumonia', {
    defect: 'BitsStored 12 with the high bits set in some pixels (was not masked)', expect: 'scored', message: 'masked to 12 bits',
  });
  img('monochrome1.dcm', encodeDicom({ rows: SIDE, columns: SIDE, pixels: Uint16Array.from(A, (v) => 4095 - v * 16), photometric: 'MONOCHROME1' }), 'normal', { defect: 'none: MONOCHROME1 (inverted display)', expect: 'scored' });
  img('truncated-pixels.dcm', dicomB.subarray(0, dicomB.length - 5000), 'pneumonia', { defect: 'DICOM cut inside its pixel data', expect: 'failed', message: 'truncated' });
  img('truncated-dicom-header.dcm', dicomB.subarray(0, 150), 'pneumonia', { defect: 'DICOM cut inside its header (said "[object Object]")', expect: 'failed', message: 'DICOM could not be parsed.*truncated' });
  img('bomb-65535.dcm', patchUs(patchUs(encodeDicom({ rows: 2, columns: 2, pixels: new Uint16Array(4) }), 0x28, 0x10, 65535), 0x28, 0x11, 65535), 'normal', { defect: 'DICOM declaring 65535x65535 with 8 bytes of pixels', expect: 'failed', message: 'declares 65535x65535' });
  img('mpeg2.dcm', encodeDicom({ rows: SIDE, columns: SIDE, pixels: new Uint16Array(4), transferSyntax: '1.2.840.10008.1.2.4.100', encapsulated: new Uint8Array(64) }), 'normal', { defect: 'a video transfer syntax', expect: 'failed', message: 'transfer syntax 1\\.2\\.840\\.10008\\.1\\.2\\.4\\.100 is not supported' });

  // Links, folders, names
  symlinkSync('good-nih-normal.png', join(OUT, 'images/link-to-good.png'));
  labels.push(['link-to-good.png', 'normal']);
  add({ id: 'symlink', run: 'evaluate-images', files: ['images/link-to-good.png'], defect: 'a symbolic link to a good image (was skipped silently)', expect: 'scored' });
  symlinkSync('no-such-file.png', join(OUT, 'images/broken-link.png'));
  add({ id: 'broken-symlink', run: 'evaluate-images', files: ['images/broken-link.png'], defect: 'a symbolic link to nothing', expect: 'issue', message: 'symbolic link to a file that does not exist' });
  write('images/nested/deeper/good-nested.png', goodPngB);
  labels.push(['nested/deeper/good-nested.png', 'pneumonia']);
  add({ id: 'nested-folder', run: 'evaluate-images', files: ['images/nested/deeper/good-nested.png'], name: 'good-nested.png', defect: 'an image two folders down', expect: 'scored' });
  write('images/dup-stem.png', goodPngA);
  write('images/other/dup-stem.png', goodPngB);
  labels.push(['dup-stem.png', 'normal']);
  add({ id: 'duplicate-stem', run: 'evaluate-images', files: ['images/dup-stem.png', 'images/other/dup-stem.png'], name: 'dup-stem', defect: 'two files with one stem in different folders (silently overwrote each other)', expect: 'issue', message: '2 images are called dup-stem' });
  write('images/no-label-row.png', goodPngB);
  add({ id: 'no-label-row', run: 'evaluate-images', files: ['images/no-label-row.png'], defect: 'an image the labels CSV does not list', expect: 'issue', message: 'no row|not in the labels|no label' });
  write('images/empty-label.png', goodPngA);
  labels.push(['empty-label.png', '']);
  add({ id: 'empty-label-cell', run: 'evaluate-images', files: ['images/empty-label.png'], defect: 'its label cell is empty (was reported as "no row")', expect: 'issue', message: 'label cell .*is empty' });
  write('images/unknown-label.png', goodPngB);
  labels.push(['unknown-label.png', 'sarcoidosis']);
  add({ id: 'unknown-label', run: 'evaluate-images', files: ['images/unknown-label.png'], defect: 'a label that is not one of the model\'s classes', expect: 'issue', message: 'sarcoidosis' });
  write('images/notes.txt', 'a stray text file in the images folder\n');
  add({ id: 'stray-text-file', run: 'evaluate-images', files: ['images/notes.txt'], defect: 'a non-image file among the images', expect: 'issue', message: 'not an image|not-an-image|\\.txt' });
  labels.push(['good-nih-pneumonia.png', 'normal']);
  add({ id: 'conflicting-label-rows', run: 'evaluate-images', files: ['labels.csv'], name: 'good-nih-pneumonia', defect: 'two rows for one image with different labels (last won: accuracy 1.00 -> 0.75, 0 issues)', expect: 'issue', message: '2 rows for good-nih-pneumonia that disagree' });
  write('labels.csv', ['file,label', ...labels.map(([f, l]) => `${/[",]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f},${l}`)].join('\n') + '\n');
  runs.push({ id: 'evaluate-images', command: 'evaluate', args: ['--images', 'images', '--labels', 'labels.csv', '--bootstrap', '50'], exitCode: 0, maxRssMiB: 900, page: { images: 'images', labels: 'labels.csv' } });

  // ------------------------------------------------ run masks: evaluate, segmentation
  const seg = (name: string, image: Uint8Array, mask: Uint8Array | undefined, c: Omit<Case, 'run' | 'files' | 'id'> & { id?: string }) => {
    write(`seg/images/${name}.png`, image);
    if (mask) write(`seg/masks/${name}.png`, mask);
    add({ id: c.id ?? `mask-${name}`, run: 'evaluate-masks', files: [`seg/images/${name}.png`, ...(mask ? [`seg/masks/${name}.png`] : [])], name, ...c });
  };
  const lung = lungMask(SIDE);
  seg('good', goodPngA, pngGray(SIDE, SIDE, lung), { defect: 'none: a 0/255 mask', expect: 'scored' });
  seg('mask-0-1', goodPngB, pngGray(SIDE, SIDE, lungMask(SIDE, 1)), { defect: 'a 0/1 mask (looks black)', expect: 'scored' });
  seg('mask-16bit', goodPngA, pngGray(SIDE, SIDE, Uint16Array.from(lung, (v) => (v ? 65535 : 0)), 16), { defect: 'a 16-bit 0/65535 mask', expect: 'scored' });
  seg('mask-jpeg', goodPngB, jpegOf(lung, SIDE, SIDE, 70), { defect: 'a JPEG mask (noisy edges)', expect: 'scored' });
  seg('mask-empty', goodPngA, pngGray(SIDE, SIDE, new Uint8Array(SIDE * SIDE)), { defect: 'an all-black mask (empty truth)', expect: 'scored' });
  seg('mask-inverted', goodPngB, pngGray(SIDE, SIDE, lung.map((v) => 255 - v)), { defect: 'an inverted mask', expect: 'scored', message: 'inverted' });
  const speck = new Uint8Array(SIDE * SIDE);
  speck.fill(255, 64 * SIDE + 60, 64 * SIDE + 66);
  seg('mask-nearly-empty', goodPngA, pngGray(SIDE, SIDE, speck), { defect: 'a mask with 6 foreground pixels', expect: 'scored', message: 'nearly empty' });
  const alphaMask = new Uint8Array(SIDE * SIDE * 2);
  for (let i = 0; i < lung.length; i++) alphaMask[i * 2 + 1] = lung[i];
  seg('mask-in-alpha', goodPngB, pngGray(SIDE, SIDE, alphaMask, 8, 2), { defect: 'the mask drawn in the alpha channel, gray all black', expect: 'scored', message: 'alpha' });
  const grayNoisy = Uint8Array.from(lung, (v, i) => (v ? 200 + (i % 40) : 5 + (i % 20)));
  seg('mask-gray-noisy', goodPngA, pngGray(SIDE, SIDE, grayNoisy), { defect: 'a gray mask with a noise floor (> 0 vs >= max/2 gave Dice 0.36 vs 0.95)', expect: 'scored' });
  seg('mask-wrong-size', goodPngB, pngGray(64, 64, lungMask(64)), { defect: 'a 64x64 mask for a 128x128 image', expect: 'failed', message: 'mask is 64x64.*128x128' });
  const badMask = pngGray(SIDE, SIDE, lung);
  badMask[idatOffset(badMask) + 30] ^= 0x04;
  seg('mask-flipped-byte', goodPngA, badMask, { defect: 'a mask with a flipped byte', expect: 'failed', message: 'CRC-32' });
  seg('mask-missing', goodPngB, undefined, { defect: 'no mask for this image', expect: 'issue', message: 'no mask' });
  write('seg/masks/orphan-mask.png', pngGray(SIDE, SIDE, lung));
  add({ id: 'mask-without-image', run: 'evaluate-masks', files: ['seg/masks/orphan-mask.png'], name: 'orphan-mask', defect: 'a mask whose image is missing', expect: 'issue', message: 'no image' });
  runs.push({ id: 'evaluate-masks', command: 'evaluate', args: ['--images', 'seg/images', '--masks', 'seg/masks', '--bootstrap', '50'], exitCode: 0, maxRssMiB: 900, page: { images: 'seg/images', masks: 'seg/masks' } });

  // ------------------------------------------------ run mask-paths: the labels CSV's mask column
  write('paths/images/good-a.png', goodPngA);
  write('paths/images/escape-dotdot.png', goodPngB);
  write('paths/images/escape-absolute.png', goodPngA);
  write('paths/masks/good-a.png', pngGray(SIDE, SIDE, lung));
  write('paths/labels.csv', 'file,mask\ngood-a.png,good-a.png\nescape-dotdot.png,../../../../../../etc/passwd\nescape-absolute.png,/etc/hostname\n');
  add({ id: 'mask-column-good', run: 'evaluate-mask-paths', files: ['paths/images/good-a.png', 'paths/masks/good-a.png'], name: 'good-a', defect: 'none: the mask column names a mask in --masks', expect: 'scored' });
  add({ id: 'mask-column-dotdot', run: 'evaluate-mask-paths', files: ['paths/labels.csv'], name: 'escape-dotdot', defect: 'the mask column climbs out of --masks with ../ (it read a system file)', expect: 'issue', message: 'etc/passwd, which is not among the masks' });
  add({ id: 'mask-column-absolute', run: 'evaluate-mask-paths', files: ['paths/labels.csv'], name: 'escape-absolute', defect: 'the mask column gives an absolute path', expect: 'issue', message: '/etc/hostname, which is not among the masks' });
  runs.push({ id: 'evaluate-mask-paths', command: 'evaluate', args: ['--images', 'paths/images', '--masks', 'paths/masks', '--labels', 'paths/labels.csv', '--task', 'segmentation', '--bootstrap', '50'], exitCode: 0, maxRssMiB: 900 });

  // ------------------------------------------------ zips
  const zipGood = [
    { name: 'good-a.png', data: goodPngA },
    { name: 'good-b.png', data: goodPngB, deflate: false },
  ];
  write('zips/mixed.zip', writeZip([
    ...zipGood,
    { name: 'corrupt-entry.png', data: goodPngA, damage: true },
    { name: 'bomb-5gib.png', data: new Uint8Array(1024), declaredSize: 5 * 1024 ** 3 },
    { name: '../escape.png', data: goodPngB },
    { name: 'lying-size.png', data: goodPngB, declaredSize: 100 },
  ]));
  write('zips/labels.csv', 'file,label\ngood-a.png,normal\ngood-b.png,pneumonia\ncorrupt-entry.png,normal\nbomb-5gib.png,normal\nlying-size.png,pneumonia\n');
  const zcase = (id: string, name: string, defect: string, expect: Outcome, message?: string, pending?: string) =>
    add({ id, run: 'evaluate-zip', files: ['zips/mixed.zip'], name, defect, expect, ...(message ? { message } : {}), ...(pending ? { pending } : {}) });
  zcase('zip-good-deflated', 'good-a', 'none: a deflated entry', 'scored');
  zcase('zip-good-stored', 'good-b', 'none: a stored entry', 'scored');
  zcase('zip-corrupt-entry', 'corrupt-entry', 'a damaged deflate stream in one entry (aborted the whole CLI run)', 'failed', 'corrupt|could not be inflated|invalid|CRC|damaged|truncated');
  zcase('zip-bomb-entry', 'bomb-5gib', 'an entry declaring 5 GiB (took evaluate to 4.3 GB)', 'issue', 'declares 5\\.0 GiB uncompressed.*limit');
  zcase('zip-dotdot-entry', '../escape.png', 'an entry named ../escape.png', 'issue', 'leaves the archive');
  zcase('zip-lying-size', 'lying-size', 'an entry declaring 100 bytes that inflates to more (held to its declared size)', 'failed', 'inflates to more than the size its zip header declares');
  runs.push({ id: 'evaluate-zip', command: 'evaluate', args: ['--images', 'zips/mixed.zip', '--labels', 'zips/labels.csv', '--bootstrap', '50'], exitCode: 0, maxRssMiB: 900 });

  write('zips/bomb-only.zip', writeZip([{ name: 'bomb.png', data: new Uint8Array(1024), declaredSize: 5 * 1024 ** 3 }]));
  add({ id: 'zip-only-bomb', run: 'evaluate-zip-bomb-only', files: ['zips/bomb-only.zip'], name: 'bomb.png', defect: 'a zip whose only entry is a bomb: nothing to score', expect: 'refused', message: 'declares 5\\.0 GiB' });
  runs.push({ id: 'evaluate-zip-bomb-only', command: 'evaluate', args: ['--images', 'zips/bomb-only.zip', '--labels', 'zips/labels.csv'], exitCode: 1, maxRssMiB: 500 });
  write('zips/empty.zip', writeZip([]));
  add({ id: 'zip-empty', run: 'evaluate-zip-empty', files: ['zips/empty.zip'], name: 'empty.zip', defect: 'an empty zip (exited 0)', expect: 'refused', message: 'empty zip' });
  runs.push({ id: 'evaluate-zip-empty', command: 'evaluate', args: ['--images', 'zips/empty.zip', '--labels', 'zips/labels.csv'], exitCode: 1, maxRssMiB: 500 });
  write('zips/not-a-zip.zip', 'this is a text file with a .zip name\n');
  add({ id: 'zip-not-a-zip', run: 'evaluate-not-a-zip', files: ['zips/not-a-zip.zip'], name: 'not-a-zip.zip', defect: 'a text file named .zip', expect: 'refused', message: 'not a zip file' });
  runs.push({ id: 'evaluate-not-a-zip', command: 'evaluate', args: ['--images', 'zips/not-a-zip.zip', '--labels', 'zips/labels.csv'], exitCode: 1, maxRssMiB: 500 });
  add({ id: 'images-is-a-png', run: 'evaluate-images-is-png', files: ['images/good-nih-normal.png'], name: 'good-nih-normal.png', defect: '--images given one PNG (said "zip could not be read")', expect: 'refused', message: 'is a PNG image, not a folder or a zip' });
  runs.push({ id: 'evaluate-images-is-png', command: 'evaluate', args: ['--images', 'images/good-nih-normal.png', '--labels', 'labels.csv'], exitCode: 1, maxRssMiB: 500 });

  // ------------------------------------------------ runs refused as a whole
  const refuse = (id: string, args: string[], exitCode: number, name: string, defect: string, message: string, files: string[] = [], pending?: string, command: Run['command'] = 'evaluate') => {
    runs.push({ id, command, args, exitCode, maxRssMiB: 500 });
    add({ id, run: id, files, name, defect, expect: 'refused', message, ...(pending ? { pending } : {}) });
  };
  refuse('bootstrap-not-a-number', ['--images', 'images', '--labels', 'labels.csv', '--bootstrap', 'many'], 2, '--bootstrap', 'non-numeric --bootstrap (was NaN)', 'bootstrap.*many');
  refuse('threshold-not-a-number', ['--images', 'images', '--labels', 'labels.csv', '--threshold', 'high'], 2, '--threshold', 'non-numeric --threshold (was NaN)', 'threshold.*high');
  refuse('threshold-out-of-range', ['--images', 'images', '--labels', 'labels.csv', '--threshold', '1.5'], 2, '--threshold', '--threshold above 1', 'threshold.*1\\.5');
  refuse('threads-zero', ['--images', 'images', '--labels', 'labels.csv', '--threads', '0'], 2, '--threads', '--threads 0', 'threads.*0');
  refuse('unknown-flag', ['--images', 'images', '--label', 'labels.csv'], 2, '--label', 'a misspelt flag', "Unknown option '--label'");
  refuse('images-missing', ['--images', 'no-such-folder', '--labels', 'labels.csv'], 1, 'no-such-folder', '--images that does not exist', 'no such file or folder');
  refuse('masks-missing', ['--images', 'seg/images', '--masks', 'no-such-masks'], 1, 'no-such-masks', '--masks that does not exist', 'no such file or folder');
  write('bad-labels/unbalanced-quotes.csv', 'file,label\n"good-nih-normal.png,normal\ngood-nih-pneumonia.png,pneumonia\n');
  refuse('labels-unbalanced-quotes', ['--images', 'images', '--labels', 'bad-labels/unbalanced-quotes.csv'], 1, 'unbalanced-quotes.csv', 'a labels CSV with an unclosed quote', 'unbalanced-quotes\\.csv.*(row|quote)', ['bad-labels/unbalanced-quotes.csv']);
  write('bad-labels/no-label-column.csv', 'file,finding_text\ngood-nih-normal.png,normal\n');
  refuse('labels-no-label-column', ['--images', 'images', '--labels', 'bad-labels/no-label-column.csv'], 1, 'no-label-column.csv', 'a labels CSV without a label column (was reported as "no row for X")', 'label column', ['bad-labels/no-label-column.csv']);
  write('bad-labels/empty.csv', '');
  refuse('labels-empty-file', ['--images', 'images', '--labels', 'bad-labels/empty.csv'], 1, 'empty.csv', 'an empty labels file', 'empty\\.csv.*no header', ['bad-labels/empty.csv']);

  // Model bundles that are broken
  const manifest = JSON.parse(readFileSync(join(ROOT, 'public/models/cxr-studio-v1/manifest.json'), 'utf8'));
  write('bundles/malformed-manifest/manifest.json', JSON.stringify(manifest, null, 1).slice(0, 300));
  refuse('manifest-malformed', ['--model-dir', 'bundles/malformed-manifest', 'images/good-nih-normal.png'], 1, 'manifest.json', 'a malformed manifest.json (did not name the file)', 'manifest\\.json is not valid JSON', ['bundles/malformed-manifest/manifest.json'], undefined, 'analyze');
  const garbage = new TextEncoder().encode('this is not an ONNX protobuf, although the manifest says it is\n'.repeat(4));
  const sha256 = createHash('sha256').update(garbage).digest('hex');
  const broken = structuredClone(manifest);
  for (const role of ['segmenter', 'classifier']) {
    for (const variant of Object.keys(broken.models[role].variants)) broken.models[role].variants[variant] = { ...broken.models[role].variants[variant], file: 'not-onnx.onnx', sha256, bytes: garbage.length };
  }
  write('bundles/not-onnx/manifest.json', JSON.stringify(broken, null, 1));
  write('bundles/not-onnx/not-onnx.onnx', garbage);
  refuse('model-not-onnx', ['--model-dir', 'bundles/not-onnx', 'images/good-nih-normal.png'], 1, 'not-onnx.onnx', 'a model file that is not ONNX ("Protobuf parsing failed" arrived as "Something went wrong")', 'not-onnx\\.onnx is not a valid ONNX model', ['bundles/not-onnx/not-onnx.onnx'], undefined, 'analyze');

  // ------------------------------------------------ analyze
  write('analyze/masks/good-nih-normal.png', pngGray(SIDE, SIDE, lung));
  write('analyze/masks/good-nih-pneumonia.png', pngGray(SIDE, SIDE, lung.map((v) => 255 - v)));
  const an = (id: string, file: string, defect: string, expect: Outcome, message?: string) => add({ id, run: 'analyze-mixed', files: [file], name: file, defect, expect, ...(message ? { message } : {}) });
  an('analyze-good', 'images/good-nih-normal.png', 'none', 'scored');
  an('analyze-inverted-mask', 'images/good-nih-pneumonia.png', 'its ground-truth mask is inverted', 'scored', 'mask warning: .*inverted');
  an('analyze-jpeg', 'images/good-kermany.jpg', 'a JPEG ("needs a platform decoder")', 'scored');
  an('analyze-symlink', 'images/link-to-good.png', 'a symbolic link', 'scored');
  an('analyze-12bit-note', 'images/16bit-holding-12bit.png', '16-bit PNG with 12-bit data', 'scored', 'note: 16-bit PNG uses only values');
  an('analyze-high-bits-note', 'images/high-bits-set.dcm', 'DICOM high bits set', 'scored', 'note: .*masked to 12 bits');
  an('analyze-bomb', 'images/bomb-20000x20000.png', 'the 20000x20000 bomb (7.25 GB, 74 s)', 'failed', 'image-too-large: PNG declares 20000x20000');
  an('analyze-one-pixel', 'images/one-pixel.png', '1x1', 'failed', 'image-implausible: image is 1x1');
  an('analyze-flipped', 'images/flipped-byte.png', 'flipped byte', 'failed', 'CRC-32');
  an('analyze-truncated-dicom', 'images/truncated-dicom-header.dcm', 'truncated DICOM ("[object Object]")', 'failed', 'DICOM could not be parsed');
  an('analyze-missing-file', 'images/no-such-image.png', 'a file that does not exist', 'failed', 'no such file');
  runs.push({ id: 'analyze-mixed', command: 'analyze', args: ['--masks', 'analyze/masks', ...cases.filter((c) => c.run === 'analyze-mixed').map((c) => c.files[0])], exitCode: 1, maxRssMiB: 900 });
  refuse('analyze-masks-missing', ['--masks', 'no-such-masks', 'images/good-nih-normal.png'], 2, 'no-such-masks', 'analyze --masks that does not exist (said nothing, exit 0)', 'no such folder', [], undefined, 'analyze');
  refuse('analyze-threads-not-a-number', ['--threads', 'two', 'images/good-nih-normal.png'], 2, '--threads', 'non-numeric --threads', 'threads: expected a whole number, received "two"', [], undefined, 'analyze');

  cases.sort((a, b) => a.run.localeCompare(b.run) || a.id.localeCompare(b.id));
  const ids = new Set(cases.map((c) => c.id));
  if (ids.size !== cases.length) throw new Error('duplicate case ids');
  write('cases.json', `${JSON.stringify({
    about: 'Bad-input corpus for issue 20, written by scripts/make-bad-inputs.ts. Paths are relative to this folder. expect: scored (a result, and a note or warning matching message when given), failed (a per-file error line naming the file and matching message), issue (an input issue naming the file), refused (the whole run stops with exitCode and a message). pending: the expectation waits on another part of issue 20.',
    runs,
    cases,
  }, null, 1)}\n`);
  write('ATTRIBUTION.md', [
    '# Attribution',
    '',
    'The good images in this corpus (and the damaged copies made from them) are derived from:',
    '',
    ...SOURCES.map((s) => `- \`${s.stem}\`: ${s.credit}.`),
    '',
    'Wang X, Peng Y, Lu L, Lu Z, Bagheri M, Summers RM. ChestX-ray8: Hospital-scale chest X-ray database and benchmarks. CVPR 2017.',
    'Kermany DS, Goldbaum M, et al. Identifying medical diagnoses and treatable diseases by image-based deep learning. Cell 2018; data: Mendeley Data rscbjbr9sj v2, CC BY 4.0.',
    '',
    'Masks are two ellipses drawn by scripts/make-bad-inputs.ts. Regenerate with `npx tsx scripts/make-bad-inputs.ts` (reads ../shared/data/cxr256).',
    '',
  ].join('\n'));
  console.log(`${cases.length} cases in ${runs.length} runs written to ${OUT}`);
}

await main();
