import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from 'fast-png';
import { ImageError } from '../errors.ts';
import { isDicom, parseDicomPixels } from './dicomParse.ts';
import { toModalityImage, type ModalityImage } from './dicomPixels.ts';
import { toGrayscale } from './grayImage.ts';
import { applyWindow } from './windowLevel.ts';

export type ImageFormat = 'png' | 'jpeg' | 'dicom';

/** A decoded image: values in its own units plus the default window and inversion. */
export interface LoadedImage extends ModalityImage {
  format: ImageFormat;
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
 * Decode PNG (fast-png, any bit depth), DICOM (dicom-parser) or JPEG (through
 * the platform's decoder, which only the browser has) by content, not by name.
 */
export async function decodeImage(bytes: Uint8Array, decodeRaster?: RasterDecoder): Promise<LoadedImage> {
  const format = sniffImageFormat(bytes);
  if (!format) {
    const head = [...bytes.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageError('image-unsupported', `expected a PNG, JPEG or DICOM file, received ${bytes.length} bytes starting ${head || '(empty)'}`);
  }
  if (format === 'dicom') return { ...toModalityImage(await parseDicomPixels(bytes)), format };
  if (format === 'png') return { ...decodePngGray(bytes), format };
  if (!decodeRaster) throw new ImageError('image-unsupported', 'JPEG decoding needs a platform decoder, which this environment lacks');
  let raster: RgbaRaster;
  try {
    raster = await decodeRaster(bytes, 'image/jpeg');
  } catch (error) {
    throw new ImageError('image-decode-failed', `JPEG could not be decoded: ${(error as Error)?.message ?? error}`);
  }
  const gray = toGrayscale(raster.data, raster.width, raster.height, 4);
  return { width: gray.width, height: gray.height, values: gray.data, window: { center: 128, width: 256 }, invert: false, format };
}

function decodePngGray(bytes: Uint8Array): ModalityImage {
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
  const gray = toGrayscale(data, png.width, png.height, channels as 1 | 2 | 3 | 4);
  const levels = 2 ** depth;
  return { width: gray.width, height: gray.height, values: gray.data, window: { center: levels / 2, width: levels }, invert: false };
}

/** The image as the models and the default view see it: 0..255 after window and inversion. */
export function toDisplayRange(image: ModalityImage, window = image.window): Float32Array {
  return applyWindow(image.values, window, image.invert);
}
