import { Inflate } from 'fflate';
import { ImageError } from '../errors.ts';
import { formatBytes } from './limits.ts';
import { concatBytes } from '../data/bytes.ts';

/**
 * The checks PNG decoders may skip, done before fast-png decodes: every
 * chunk's CRC-32, the image data inflating to no more than IHDR's size implies
 * (so a small IDAT cannot grow without bound), and its Adler-32 against the
 * zlib trailer. A flipped byte anywhere fails here with a named cause.
 */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface Header {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309, as PNG chunks and zip entries use it). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(state: { a: number; b: number }, chunk: Uint8Array): void {
  let { a, b } = state;
  // 5552: the most bytes before the sums can overflow 2^32 (zlib's NMAX)
  for (let start = 0; start < chunk.length; start += 5552) {
    const end = Math.min(start + 5552, chunk.length);
    for (let i = start; i < end; i++) {
      a += chunk[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  state.a = a;
  state.b = b;
}

/** Bytes of filtered scanlines IHDR implies; interlaced images add at most one filter byte per pass row. */
function expectedRawBytes({ width, height, depth, colorType, interlaced }: Header): number {
  const bitsPerPixel = (CHANNELS[colorType] ?? 4) * depth;
  const rows = height * (1 + Math.ceil((width * bitsPerPixel) / 8));
  return interlaced ? rows + 7 * height + 64 : rows;
}

export function checkPngIntegrity(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  const data: Uint8Array[] = [];
  for (let offset = 8; offset + 8 <= bytes.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > bytes.length) {
      throw new ImageError('image-decode-failed', `PNG chunk ${type} is cut off (needs ${length + 12} bytes, ${bytes.length - offset} left): the file is truncated`);
    }
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    const stored = view.getUint32(offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== stored) {
      throw new ImageError('image-decode-failed', `PNG chunk ${type} fails its CRC-32 checksum: the file is damaged`);
    }
    if (type === 'IHDR' && body.length >= 13) {
      header = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12), depth: body[8], colorType: body[9], interlaced: body[12] === 1 };
    }
    if (type === 'IDAT') data.push(body);
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header || data.length === 0) return; // fast-png names what is missing
  const limit = expectedRawBytes(header);
  const checksum = { a: 1, b: 0 };
  let produced = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    produced += chunk.length;
    if (produced > limit) {
      throw new ImageError('image-too-large', `PNG image data inflates to more than the ${formatBytes(limit)} its ${header!.width}x${header!.height} header declares`);
    }
    adler32(checksum, chunk);
    if (final) ended = true;
  });
  const stream = concatBytes(...data);
  if (stream.length < 6) throw new ImageError('image-decode-failed', 'PNG image data (IDAT) is too short to hold a zlib stream');
  try {
    // zlib = 2-byte header, raw deflate, 4-byte Adler-32 (big-endian)
    for (let at = 2; at < stream.length - 4; at += 65536) inflate.push(stream.subarray(at, Math.min(at + 65536, stream.length - 4)), false);
    inflate.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof ImageError) throw error;
    throw new ImageError('image-decode-failed', `PNG image data could not be inflated (the file is damaged): ${(error as Error)?.message ?? error}`);
  }
  if (!ended) throw new ImageError('image-decode-failed', 'PNG image data ends early (the file is truncated)');
  const stored = new DataView(stream.buffer, stream.byteOffset + stream.length - 4, 4).getUint32(0);
  const actual = ((checksum.b << 16) | checksum.a) >>> 0;
  if (stored !== actual) {
    throw new ImageError('image-decode-failed', `PNG image data fails its Adler-32 checksum (stored ${hex(stored)}, computed ${hex(actual)}): the file is damaged`);
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

