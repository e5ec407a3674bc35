/** The parts one after another in one new array (a PNG's chunks, a DICOM's elements). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return concatAll(parts);
}

/** concatBytes over a list, for more parts than a call takes arguments (an ONNX graph's nodes). */
export function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
