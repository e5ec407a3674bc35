import { ImageError } from '../errors.ts';
import { MAX_DECLARED_PIXELS, MAX_DECLARED_SIDE } from './limits.ts';

/**
 * Read the size a PNG (IHDR) or JPEG (SOF marker) declares, from its header
 * only, and refuse one above the stated limits before it is decoded.
 */
export function declaredPngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  // signature (8), chunk length (4), "IHDR" (4), width (4), height (4)
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

export function declaredJpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = (bytes[offset + 2] << 8) | bytes[offset + 3];
    if (isStartOfFrame(marker)) {
      return { height: (bytes[offset + 5] << 8) | bytes[offset + 6], width: (bytes[offset + 7] << 8) | bytes[offset + 8] };
    }
    if (marker === 0xda || length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

export function checkDeclaredSize(width: number, height: number, what: string): void {
  if (width === 0 || height === 0) throw new ImageError('image-decode-failed', `${what} declares an empty image (${width}x${height})`);
  if (width > MAX_DECLARED_SIDE || height > MAX_DECLARED_SIDE || width * height > MAX_DECLARED_PIXELS) {
    throw new ImageError(
      'image-too-large',
      `${what} declares ${width}x${height} pixels (${(width * height / 1e6).toFixed(0)} megapixels); the limit is ${MAX_DECLARED_SIDE} px a side and ${MAX_DECLARED_PIXELS / 1e6} megapixels, so it was not decoded`,
    );
  }
}
