import { describe, expect, it } from 'vitest';
import { codeOf } from '../testing/codeOf.ts';
import { sha256Hex, verifyFile } from './verifyFile.ts';

const abc = new TextEncoder().encode('abc');
// FIPS 180-2 test vector for "abc"
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('verifyFile', () => {
  it('hashes with SHA-256 (FIPS test vector)', async () => {
    expect(await sha256Hex(abc)).toBe(ABC_SHA256);
  });
  it('accepts matching bytes and names truncation and mismatch', async () => {
    expect(await codeOf(verifyFile({ file: 'm.onnx', sha256: ABC_SHA256, bytes: 3 }, abc))).toBe('ok');
    expect(await codeOf(verifyFile({ file: 'm.onnx', sha256: ABC_SHA256, bytes: 3 }, abc.subarray(0, 2)))).toBe('model-truncated: m.onnx: expected 3 bytes, received 2');
    expect(await codeOf(verifyFile({ file: 'm.onnx', sha256: ABC_SHA256, bytes: 3 }, new TextEncoder().encode('abd')))).toBe(`model-hash-mismatch: m.onnx: expected sha256 ${ABC_SHA256}, received a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9`);
  });
});
