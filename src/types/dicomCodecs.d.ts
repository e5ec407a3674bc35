// The DICOM codec packages ship no type declarations (jpeg-lossless-decoder-js names
// a .d.ts its release lacks); these cover the part dicomCodecs.ts uses.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}

// Cornerstone's codec builds (decoders, and the full builds tests encode with): each
// entry point's default export is an emscripten module factory.
declare module '@cornerstonejs/codec-*js' {
  const factory: (options?: { locateFile?: (file: string) => string; print?: (text: string) => void }) => Promise<unknown>;
  export default factory;
}
