import dicomParser from 'dicom-parser';
import { inflateSync } from 'fflate';
import { ImageError } from '../errors.ts';
import { CODECS, decodeFrame } from './dicomCodecs.ts';
import type { DicomPixelInfo } from './dicomPixels.ts';

/** Transfer syntaxes whose pixel data is stored raw (no codec needed). */
const UNCOMPRESSED = new Map([
  ['1.2.840.10008.1.2', 'implicit VR little endian'],
  ['1.2.840.10008.1.2.1', 'explicit VR little endian'],
  ['1.2.840.10008.1.2.2', 'explicit VR big endian'],
  ['1.2.840.10008.1.2.1.99', 'deflated explicit VR little endian'],
]);

export function isDicom(bytes: Uint8Array): boolean {
  return bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** Every syntax read here, for messages: raw ones and those with a codec. */
export function supportedSyntaxes(): string[] {
  return [...UNCOMPRESSED.values(), ...[...CODECS.values()].map((c) => c.name)];
}

/**
 * Adapter over the `dicom-parser` package: reads the header fields the studio
 * needs and the first frame of grayscale pixel data, raw, deflated, or through
 * one of the codecs in dicomCodecs.ts.
 */
export async function parseDicomPixels(input: Uint8Array): Promise<DicomPixelInfo> {
  let dataSet: ReturnType<typeof dicomParser.parseDicom>;
  // Deflated files: dicom-parser hands us the bytes after the meta group to inflate
  // (raw deflate, PS3.5 A.5); pixel offsets then point into the inflated copy.
  let bytes = input;
  const inflater = (whole: Uint8Array, position: number): Uint8Array => {
    const body = inflateSync(whole.subarray(position));
    bytes = new Uint8Array(position + body.length);
    bytes.set(whole.subarray(0, position));
    bytes.set(body, position);
    return bytes;
  };
  try {
    dataSet = dicomParser.parseDicom(input, { inflater } as dicomParser.ParseDicomOptions);
  } catch (error) {
    const reason = typeof error === 'string' ? error : (error as Error)?.message ?? String(error);
    throw new ImageError('image-decode-failed', `DICOM could not be parsed: ${reason}`);
  }
  const syntax = dataSet.string('x00020010')?.trim() ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED.has(syntax) && !CODECS.has(syntax)) {
    throw new ImageError('dicom-unsupported', `transfer syntax ${syntax} is not supported; supported: ${supportedSyntaxes().join(', ')}`);
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
  const layout = { rows, columns, bitsAllocated: bitsAllocated as 8 | 16, signed };
  const stored = CODECS.has(syntax) ? await decodeFrame(syntax, firstFrame(dataSet, pixel), layout) : rawPixels(bytes, pixel.dataOffset, layout, syntax);
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

type DataSet = ReturnType<typeof dicomParser.parseDicom>;

/** The first frame of encapsulated pixel data: all fragments for one frame, else by offset table. */
function firstFrame(dataSet: DataSet, pixel: DataSet['elements'][string]): Uint8Array {
  if (!pixel.encapsulatedPixelData || !pixel.fragments?.length) {
    throw new ImageError('image-decode-failed', 'compressed DICOM without encapsulated pixel data fragments');
  }
  try {
    const frames = dataSet.intString('x00280008') ?? 1;
    if (frames <= 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixel, 0, pixel.fragments.length);
    const table = pixel.basicOffsetTable?.length ? pixel.basicOffsetTable : dicomParser.createJPEGBasicOffsetTable(dataSet, pixel);
    return dicomParser.readEncapsulatedImageFrame(dataSet, pixel, 0, table);
  } catch (error) {
    const reason = typeof error === 'string' ? error : (error as Error)?.message ?? String(error);
    throw new ImageError('image-decode-failed', `DICOM pixel data fragments could not be read: ${reason}`);
  }
}

function rawPixels(bytes: Uint8Array, offset: number, layout: { rows: number; columns: number; bitsAllocated: 8 | 16; signed: boolean }, syntax: string): Float32Array {
  const { bitsAllocated, signed } = layout;
  const count = layout.rows * layout.columns;
  const needed = count * (bitsAllocated / 8);
  if (offset + needed > bytes.length) {
    throw new ImageError('image-decode-failed', `DICOM pixel data is truncated: expected ${needed} bytes, received ${bytes.length - offset}`);
  }
  const littleEndian = syntax !== '1.2.840.10008.1.2.2';
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, needed);
  const stored = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (bitsAllocated === 8) stored[i] = signed ? view.getInt8(i) : view.getUint8(i);
    else stored[i] = signed ? view.getInt16(i * 2, littleEndian) : view.getUint16(i * 2, littleEndian);
  }
  return stored;
}
