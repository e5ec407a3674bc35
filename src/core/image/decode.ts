import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from 'fast-png';
import { ImageError } from '../errors.ts';
import { checkDeclaredSize, declaredJpegSize, declaredPngSize } from './declaredSize.ts';
import { isDicom, parseDicomPixels } from './dicomParse.ts';
import { toModalityImage, type ModalityImage } from './dicomPixels.ts';
import { toGrayscale } from './grayImage.ts';
import { MAX_DECLARED_PIXELS } from './limits.ts';
import { checkPngIntegrity } from './pngIntegrity.ts';
import { applyWindow, fullRangeWindow } from './windowLevel.ts';

export type ImageFormat = 'png' | 'jpeg' | 'dicom';

/** A decoded image: values in its own units plus the default window and inversion. */
export interface LoadedImage extends ModalityImage {
  format: ImageFormat;
  /** What was done to read it that a user should know (a narrower window, masked high bits, alpha read as the image). */
  notes?: string[];
}

/** Interleaved 8-bit RGBA pixels from a platform decoder (browser: createImageBitmap). */
export interface RgbaRaster {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export type RasterDecoder = (bytes: Uint8Array, mime: string) => Promise<RgbaRaster>;

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (hasPngSignature(bytes)) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (isDicom(bytes)) return 'dicom';
  return undefined;
}

/**
 * Decode PNG (fast-png, any bit depth; CRC-32 and Adler-32 checked first), DICOM
 * (dicom-parser) or JPEG (the platform's decoder when given, else jpeg-js) by
 * content, not by name. The size a file declares is checked against
 * limits.ts before any pixel buffer is allocated.
 */
export async function decodeImage(bytes: Uint8Array, decodeRaster?: RasterDecoder): Promise<LoadedImage> {
  const format = sniffImageFormat(bytes);
  if (!format) {
    const head = [...bytes.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageError('image-unsupported', `expected a PNG, JPEG or DICOM file, received ${bytes.length} bytes starting ${head || '(empty)'}`);
  }
  if (format === 'dicom') {
    const pixels = await parseDicomPixels(bytes);
    const image: LoadedImage = { ...toModalityImage(pixels), format };
    if (pixels.notes?.length) image.notes = pixels.notes;
    return image;
  }
  if (format === 'png') return { ...decodePngGray(bytes), format };
  const size = declaredJpegSize(bytes);
  if (!size) throw new ImageError('image-decode-failed', 'JPEG has no frame header (SOF): the file is truncated or damaged');
  checkDeclaredSize(size.width, size.height, 'JPEG');
  let raster: RgbaRaster;
  try {
    raster = decodeRaster ? await decodeRaster(bytes, 'image/jpeg') : await decodeJpeg(bytes);
  } catch (error) {
    throw new ImageError('image-decode-failed', `JPEG could not be decoded: ${(error as Error)?.message ?? error}`);
  }
  const gray = toGrayscale(raster.data, raster.width, raster.height, 4);
  return { width: gray.width, height: gray.height, values: gray.data, window: { center: 128, width: 256 }, invert: false, format };
}

/** jpeg-js (pure JavaScript) for hosts without a platform decoder: the CLI, tests. */
async function decodeJpeg(bytes: Uint8Array): Promise<RgbaRaster> {
  const { default: jpeg } = await import('jpeg-js');
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_DECLARED_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

function decodePngGray(bytes: Uint8Array): ModalityImage & { notes?: string[] } {
  const size = declaredPngSize(bytes);
  if (!size) throw new ImageError('image-decode-failed', 'PNG has no IHDR header chunk: the file is truncated or damaged');
  checkDeclaredSize(size.width, size.height, 'PNG');
  checkPngIntegrity(bytes);
  let png: ReturnType<typeof decodePng>;
  try {
    png = decodePng(bytes);
  } catch (error) {
    throw new ImageError('image-decode-failed', `PNG could not be decoded: ${(error as Error)?.message ?? error}`);
  }
  let data: ArrayLike<number> = png.data;
  let channels = png.channels;
  let depth: number = png.depth;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
    depth = 8;
  }
  if (channels < 1 || channels > 4) throw new ImageError('image-decode-failed', `PNG has ${channels} channels; expected 1 to 4`);
  const notes: string[] = [];
  const alphaOnly = (channels === 2 || channels === 4) && contentInAlphaOnly(data, png.width * png.height, channels);
  const gray = alphaOnly
    ? { width: png.width, height: png.height, data: Float32Array.from({ length: png.width * png.height }, (_, i) => data[i * channels + channels - 1]) }
    : toGrayscale(data, png.width, png.height, channels as 1 | 2 | 3 | 4);
  if (alphaOnly) notes.push('the gray channels are uniform and the picture is in the alpha channel: read from alpha');
  const levels = 2 ** depth;
  let window = { center: levels / 2, width: levels };
  if (depth === 16) {
    const range = fullRangeWindow(gray.data);
    const max = range.center + range.width / 2 - 1;
    if (max < levels / 4) {
      window = range;
      notes.push(`16-bit PNG uses only values ${Math.round(range.center - range.width / 2)}..${Math.round(max)} (about ${Math.ceil(Math.log2(max + 1))} bits): windowed over that range, not 0..65535`);
    }
  }
  return { width: gray.width, height: gray.height, values: gray.data, window, invert: false, ...(notes.length ? { notes } : {}) };
}

/** Gray or color samples all equal while alpha varies: a mask or picture saved as transparency. */
function contentInAlphaOnly(data: ArrayLike<number>, count: number, channels: number): boolean {
  const first = data[0];
  const firstAlpha = data[channels - 1];
  let alphaVaries = false;
  for (let i = 0; i < count; i++) {
    const o = i * channels;
    for (let c = 0; c < channels - 1; c++) if (data[o + c] !== first) return false;
    if (data[o + channels - 1] !== firstAlpha) alphaVaries = true;
  }
  return alphaVaries;
}

/** The image as the models and the default view see it: 0..255 after window and inversion. */
export function toDisplayRange(image: ModalityImage, window = image.window): Float32Array {
  return applyWindow(image.values, window, image.invert);
}
