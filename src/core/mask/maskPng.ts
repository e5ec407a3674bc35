import { decode, encode } from 'fast-png';
import { ImageError } from '../errors.ts';
import { maskFromPixels } from './maskFromPixels.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A 0/1 mask as an 8-bit gray PNG with values 0 and 255 (what `generate --mask` and the Generate page read). */
export function encodeMaskPng(mask: ArrayLike<number>, side: number): Uint8Array {
  if (mask.length !== side * side) throw new RangeError(`encodeMaskPng: expected ${side * side} pixels, received ${mask.length}`);
  const data = new Uint8Array(side * side);
  for (let i = 0; i < data.length; i++) data[i] = mask[i] > 0 ? 255 : 0;
  return encode({ width: side, height: side, channels: 1, depth: 8, data });
}

/**
 * A mask PNG -> 0/1 raster of side x side. Any bit depth; foreground above half range.
 * A square mask of another size is resampled nearest-neighbour; a non-square one is
 * refused, since stretching it would move the anatomy.
 */
export function decodeMaskPng(bytes: Uint8Array, side: number, name = 'mask'): Uint8Array {
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new ImageError('image-unsupported', `${name} is not a PNG file (masks are imported as PNG)`);
  }
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new ImageError('image-decode-failed', `${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (png.width !== png.height) {
    throw new ImageError('image-unsupported', `${name} is ${png.width}x${png.height}; a mask must be square (the editor works at ${side}x${side})`);
  }
  return maskFromPixels({ width: png.width, height: png.height, channels: png.channels, data: png.data, maxValue: 2 ** png.depth - 1 }, side);
}
