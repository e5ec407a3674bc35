import dicomParser from 'dicom-parser';
import { ImageError } from '../errors.ts';
import type { DicomPixelInfo } from './dicomPixels.ts';

/** Transfer syntaxes whose pixel data is stored raw (no codec needed). */
const UNCOMPRESSED = new Map([
  ['1.2.840.10008.1.2', 'implicit VR little endian'],
  ['1.2.840.10008.1.2.1', 'explicit VR little endian'],
  ['1.2.840.10008.1.2.2', 'explicit VR big endian'],
]);

export function isDicom(bytes: Uint8Array): boolean {
  return bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * Adapter over the `dicom-parser` package: reads the header fields the studio
 * needs and the first frame of uncompressed grayscale pixel data.
 */
export function parseDicomPixels(bytes: Uint8Array): DicomPixelInfo {
  let dataSet: ReturnType<typeof dicomParser.parseDicom>;
  try {
    dataSet = dicomParser.parseDicom(bytes);
  } catch (error) {
    const reason = typeof error === 'string' ? error : (error as Error)?.message ?? String(error);
    throw new ImageError('image-decode-failed', `DICOM could not be parsed: ${reason}`);
  }
  const syntax = dataSet.string('x00020010')?.trim() ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED.has(syntax)) {
    throw new ImageError('dicom-unsupported', `transfer syntax ${syntax} is compressed; supported: ${[...UNCOMPRESSED.values()].join(', ')}`);
  }
  const rows = dataSet.uint16('x00280010');
  const columns = dataSet.uint16('x00280011');
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const samples = dataSet.uint16('x00280002') ?? 1;
  const signed = dataSet.uint16('x00280103') === 1;
  const photometric = dataSet.string('x00280004')?.trim() ?? 'MONOCHROME2';
  const pixel = dataSet.elements.x7fe00010;
  if (!rows || !columns || !pixel) {
    throw new ImageError('image-decode-failed', `DICOM has no image: rows ${rows ?? 'missing'}, columns ${columns ?? 'missing'}, pixel data ${pixel ? 'present' : 'missing'}`);
  }
  if (samples !== 1 || (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2')) {
    throw new ImageError('dicom-unsupported', `expected grayscale (MONOCHROME1/2, 1 sample per pixel), received ${photometric} with ${samples} samples`);
  }
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new ImageError('dicom-unsupported', `expected 8 or 16 bits allocated, received ${bitsAllocated}`);
  }
  const count = rows * columns;
  const needed = count * (bitsAllocated / 8);
  if (pixel.dataOffset + needed > bytes.length) {
    throw new ImageError('image-decode-failed', `DICOM pixel data is truncated: expected ${needed} bytes, received ${bytes.length - pixel.dataOffset}`);
  }
  const littleEndian = syntax !== '1.2.840.10008.1.2.2';
  const view = new DataView(bytes.buffer, bytes.byteOffset + pixel.dataOffset, needed);
  const stored = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (bitsAllocated === 8) stored[i] = signed ? view.getInt8(i) : view.getUint8(i);
    else stored[i] = signed ? view.getInt16(i * 2, littleEndian) : view.getUint16(i * 2, littleEndian);
  }
  const center = dataSet.floatString('x00281050');
  const width = dataSet.floatString('x00281051');
  return {
    rows,
    columns,
    stored,
    rescaleSlope: dataSet.floatString('x00281053') ?? 1,
    rescaleIntercept: dataSet.floatString('x00281052') ?? 0,
    photometric,
    window: center !== undefined && width !== undefined ? { center, width } : undefined,
  };
}
