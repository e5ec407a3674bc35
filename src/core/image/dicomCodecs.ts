import { decode as decodeBaselineJpeg } from 'jpeg-js';
import { Decoder as LosslessJpegDecoder } from 'jpeg-lossless-decoder-js';
import { ImageError } from '../errors.ts';

/**
 * Decoders for the compressed transfer syntaxes a radiology export commonly uses,
 * each an adapter over a maintained package: jpeg-js (baseline JPEG),
 * jpeg-lossless-decoder-js (process 14), CharLS, OpenJPEG and OpenJPH as WebAssembly
 * builds from Cornerstone (JPEG-LS, JPEG 2000, High-Throughput JPEG 2000). RLE Lossless is written here: it is
 * PackBits per byte plane (DICOM PS3.5 annex G), and no package decodes it
 * without a whole viewer around it.
 */
export interface FrameLayout {
  rows: number;
  columns: number;
  bitsAllocated: 8 | 16;
  signed: boolean;
}

interface Codec {
  name: string;
  decode(frame: Uint8Array, layout: FrameLayout): Promise<ArrayLike<number>> | ArrayLike<number>;
}

/** Where the WebAssembly files are served from; Node finds them next to their package's script by itself. */
export interface CodecWasmLocations {
  charls?: string;
  openjpeg?: string;
  openjph?: string;
}

let wasmLocations: CodecWasmLocations = {};

/** Browser builds call this once per worker with the bundler's URLs of the .wasm files. */
export function locateCodecWasm(locations: CodecWasmLocations): void {
  wasmLocations = locations;
}

/** The emscripten module's C++ decoder classes, as Cornerstone's codec builds expose them. */
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}
interface WasmModule {
  JpegLSDecoder?: new () => WasmDecoder;
  J2KDecoder?: new () => WasmDecoder;
  HTJ2KDecoder?: new () => WasmDecoder;
}
type WasmFactory = (options: { locateFile?: (file: string) => string; print?: (text: string) => void }) => Promise<WasmModule>;

const modules = new Map<string, Promise<WasmModule>>();

function wasmModule(key: keyof CodecWasmLocations, load: () => Promise<{ default: unknown }>): Promise<WasmModule> {
  let module = modules.get(key);
  if (!module) {
    const url = wasmLocations[key];
    // OpenJPEG logs each header it reads ([INFO] ...) through `print`: silenced.
    module = load().then((m) => (m.default as WasmFactory)({ print: () => {}, ...(url ? { locateFile: () => url } : {}) }));
    module.catch(() => modules.delete(key));
    modules.set(key, module);
  }
  return module;
}

/** Copy out of the WebAssembly heap into typed values, then free the decoder. */
function runWasmDecoder(decoder: WasmDecoder, frame: Uint8Array, layout: FrameLayout, what: string): Int32Array | Uint8Array | Uint16Array | Int16Array {
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width !== layout.columns || info.height !== layout.rows || info.componentCount !== 1) {
      throw new ImageError('image-decode-failed', `${what} frame is ${info.width}x${info.height} with ${info.componentCount} components, the header says ${layout.columns}x${layout.rows} grayscale`);
    }
    const bytes = decoder.getDecodedBuffer();
    if (info.bitsPerSample <= 8) return bytes.slice();
    const copy = bytes.slice().buffer;
    return layout.signed || info.isSigned ? new Int16Array(copy) : new Uint16Array(copy);
  } finally {
    decoder.delete();
  }
}

/** PS3.5 annex G: a 64-byte header of segment offsets, then one PackBits segment per byte plane, most significant first. */
export function decodeRle(frame: Uint8Array, layout: FrameLayout): Uint8Array | Uint16Array | Int16Array {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const planes = layout.bitsAllocated / 8;
  const count = layout.rows * layout.columns;
  if (frame.length < 64 || view.getUint32(0, true) !== planes) {
    throw new ImageError('image-decode-failed', `RLE frame: expected a header with ${planes} segment(s) for ${layout.bitsAllocated}-bit grayscale, received ${frame.length < 64 ? `${frame.length} bytes` : `${view.getUint32(0, true)} segments`}`);
  }
  const out = new Uint8Array(count * planes);
  for (let plane = 0; plane < planes; plane++) {
    const start = view.getUint32(4 + plane * 4, true);
    const end = plane + 1 < planes ? view.getUint32(8 + plane * 4, true) : frame.length;
    // Byte plane `plane` (0 = most significant) goes to that byte of each little-endian sample.
    let target = planes - 1 - plane;
    const stop = target + count * planes;
    for (let i = start; i < end && target < stop; ) {
      const n = (frame[i++] << 24) >> 24;
      if (n >= 0) {
        for (let k = 0; k <= n && i < end && target < stop; k++, target += planes) out[target] = frame[i++];
      } else if (n !== -128) {
        const value = frame[i++];
        for (let k = 0; k < 1 - n && target < stop; k++, target += planes) out[target] = value;
      }
    }
    if (target < stop) throw new ImageError('image-decode-failed', `RLE segment ${plane + 1} ends after ${(target - (planes - 1 - plane)) / planes} of ${count} pixels`);
  }
  if (planes === 1) return out;
  return layout.signed ? new Int16Array(out.buffer) : new Uint16Array(out.buffer);
}

/** Sample precision from the first DCT start-of-frame marker (SOF0-SOF2), or undefined without one. */
export function jpegPrecision(frame: Uint8Array): number | undefined {
  for (let i = 2; i + 4 < frame.length; i++) {
    if (frame[i] === 0xff && frame[i + 1] >= 0xc0 && frame[i + 1] <= 0xc2) return frame[i + 4];
  }
  return undefined;
}

/** JPEG extended (process 2/4): jpeg-js decodes 8-bit samples; 12-bit ones have no maintained browser decoder. */
function extendedJpeg(frame: Uint8Array, layout: FrameLayout): Uint8Array {
  const precision = jpegPrecision(frame);
  if (precision !== undefined && precision > 8) {
    throw new ImageError('dicom-unsupported', `transfer syntax 1.2.840.10008.1.2.4.51 (JPEG extended) with ${precision}-bit samples has no decoder here; 8-bit JPEG extended, JPEG lossless, JPEG-LS, JPEG 2000 and HTJ2K do`);
  }
  return baselineJpeg(frame, layout);
}

function baselineJpeg(frame: Uint8Array, layout: FrameLayout): Uint8Array {
  const image = decodeBaselineJpeg(frame, { useTArray: true, formatAsRGBA: false, colorTransform: false });
  // jpeg-js repeats a single-component image into 3 channels; keep the first.
  const channels = image.data.length / (layout.rows * layout.columns);
  if (channels === 1) return image.data;
  return Uint8Array.from({ length: layout.rows * layout.columns }, (_, i) => image.data[i * channels]);
}

function losslessJpeg(frame: Uint8Array, layout: FrameLayout): Uint8Array | Uint16Array | Int16Array {
  const copy = frame.slice();
  const decoded = new LosslessJpegDecoder().decode(copy.buffer, 0, copy.length, layout.bitsAllocated / 8);
  if (layout.bitsAllocated === 8) return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
  return layout.signed ? new Int16Array(decoded.buffer, decoded.byteOffset, decoded.length) : (decoded as Uint16Array);
}

/** A decoder class of one of the WebAssembly builds, loaded on first use. */
function wasmCodec(key: keyof CodecWasmLocations, load: () => Promise<{ default: unknown }>, decoder: keyof WasmModule, what: string) {
  return async (frame: Uint8Array, layout: FrameLayout) => {
    const module = await wasmModule(key, load);
    return runWasmDecoder(new module[decoder]!(), frame, layout, what);
  };
}

const jpegLs = wasmCodec('charls', () => import('@cornerstonejs/codec-charls/decodewasmjs'), 'JpegLSDecoder', 'JPEG-LS');
const jpeg2000 = wasmCodec('openjpeg', () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'), 'J2KDecoder', 'JPEG 2000');
const htj2k = wasmCodec('openjph', () => import('@cornerstonejs/codec-openjph/wasmjs'), 'HTJ2KDecoder', 'HTJ2K');

/** Compressed transfer syntaxes with a decoder; anything else outside UNCOMPRESSED is refused by name. */
export const CODECS: ReadonlyMap<string, Codec> = new Map<string, Codec>([
  ['1.2.840.10008.1.2.5', { name: 'RLE lossless', decode: decodeRle }],
  ['1.2.840.10008.1.2.4.50', { name: 'JPEG baseline (8-bit)', decode: baselineJpeg }],
  ['1.2.840.10008.1.2.4.51', { name: 'JPEG extended (8-bit samples)', decode: extendedJpeg }],
  ['1.2.840.10008.1.2.4.57', { name: 'JPEG lossless', decode: losslessJpeg }],
  ['1.2.840.10008.1.2.4.70', { name: 'JPEG lossless SV1', decode: losslessJpeg }],
  ['1.2.840.10008.1.2.4.80', { name: 'JPEG-LS lossless', decode: jpegLs }],
  ['1.2.840.10008.1.2.4.81', { name: 'JPEG-LS near-lossless', decode: jpegLs }],
  ['1.2.840.10008.1.2.4.90', { name: 'JPEG 2000 lossless', decode: jpeg2000 }],
  ['1.2.840.10008.1.2.4.91', { name: 'JPEG 2000', decode: jpeg2000 }],
  ['1.2.840.10008.1.2.4.201', { name: 'HTJ2K lossless', decode: htj2k }],
  ['1.2.840.10008.1.2.4.202', { name: 'HTJ2K lossless RPCL', decode: htj2k }],
  ['1.2.840.10008.1.2.4.203', { name: 'HTJ2K', decode: htj2k }],
]);

/** Decode one frame; a codec's own exception becomes an ImageError that names the syntax. */
export async function decodeFrame(syntax: string, frame: Uint8Array, layout: FrameLayout): Promise<ArrayLike<number>> {
  const codec = CODECS.get(syntax);
  if (!codec) throw new ImageError('dicom-unsupported', `transfer syntax ${syntax} has no decoder here`);
  let values: ArrayLike<number>;
  try {
    values = await codec.decode(frame, layout);
  } catch (error) {
    if (error instanceof ImageError) throw error;
    const reason = typeof error === 'string' ? error : typeof error === 'number' ? `decoder error ${error}` : (error as Error)?.message ?? String(error);
    throw new ImageError('image-decode-failed', `${codec.name} pixel data could not be decoded: ${reason}`);
  }
  const count = layout.rows * layout.columns;
  if (values.length < count) throw new ImageError('image-decode-failed', `${codec.name} pixel data: expected ${count} pixels for ${layout.columns}x${layout.rows}, decoded ${values.length}`);
  return values;
}
