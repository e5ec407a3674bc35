import dicomParser from 'dicom-parser';
import { inflateSync } from 'fflate';
import { ImageError } from '../errors.ts';
import { checkDeclaredSize } from './declaredSize.ts';
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
    throw new ImageError('image-decode-failed', `DICOM could not be parsed (the file is truncated or damaged): ${parserReason(error)}`);
  }
  const syntax = dataSet.string('x00020010')?.trim() ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED.has(syntax) && !CODECS.has(syntax)) {
    throw new ImageError('dicom-unsupported', `transfer syntax ${syntax} is not supported; supported: ${supportedSyntaxes().join(', ')}`);
  }
  const rows = dataSet.uint16('x00280010');
  const columns = dataSet.uint16('x00280011');
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
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
  checkDeclaredSize(columns, rows, 'DICOM');
  const layout = { rows, columns, bitsAllocated: bitsAllocated as 8 | 16, signed };
  let stored: ArrayLike<number> = CODECS.has(syntax) ? await decodeFrame(syntax, firstFrame(dataSet, pixel), layout) : rawPixels(bytes, pixel.dataOffset, layout, syntax);
  const notes: string[] = [];
  if (bitsStored >= 1 && bitsStored < bitsAllocated) {
    const masked = Float32Array.from(stored);
    const changed = maskToBitsStored(masked, bitsStored, signed);
    stored = masked;
    if (changed) notes.push(`${changed} pixel(s) had bits set above BitsStored ${bitsStored} (of ${bitsAllocated} allocated): masked to ${bitsStored} bits`);
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
    ...(notes.length ? { notes } : {}),
  };
}

/**
 * Keep only the low `bits` bits of each stored value (PS3.5 8.1.1: bits above
 * BitsStored are not pixel data; overlays and junk live there), sign-extending
 * from bit `bits - 1` when PixelRepresentation is signed. Returns how many changed.
 */
export function maskToBitsStored(stored: Float32Array, bits: number, signed: boolean): number {
  const mask = (1 << bits) - 1;
  const sign = 1 << (bits - 1);
  let changed = 0;
  for (let i = 0; i < stored.length; i++) {
    const raw = stored[i];
    let value = raw & mask;
    if (signed && value & sign) value -= 1 << bits;
    if (value !== raw) {
      stored[i] = value;
      changed++;
    }
  }
  return changed;
}

/** dicom-parser throws strings, Errors, or `{ exception, dataSet }` objects. */
function parserReason(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  const exception = (error as { exception?: unknown })?.exception;
  if (typeof exception === 'string') return exception;
  if (exception instanceof Error) return exception.message;
  return 'unreadable data';
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
    throw new ImageError('image-decode-failed', `DICOM pixel data fragments could not be read: ${parserReason(error)}`);
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
