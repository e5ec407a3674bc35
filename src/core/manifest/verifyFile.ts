import { ModelFileError } from '../errors.ts';
import type { FileRef } from './types.ts';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Check downloaded or read bytes against the manifest entry: size first (a
 * short file is "truncated", which tells the user more than a hash
 * mismatch), then SHA-256. Uses WebCrypto, present in browsers, workers and Node.
 */
export async function verifyFile(ref: FileRef, bytes: Uint8Array): Promise<void> {
  if (bytes.length < ref.bytes) {
    throw new ModelFileError('model-truncated', `${ref.file}: expected ${ref.bytes} bytes, received ${bytes.length}`);
  }
  if (bytes.length !== ref.bytes) {
    throw new ModelFileError('model-hash-mismatch', `${ref.file}: expected ${ref.bytes} bytes, received ${bytes.length}`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== ref.sha256) {
    throw new ModelFileError('model-hash-mismatch', `${ref.file}: expected sha256 ${ref.sha256}, received ${actual}`);
  }
}
