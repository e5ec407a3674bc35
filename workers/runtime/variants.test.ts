import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/core/manifest/types.ts';
import { chooseVariant } from './variants.ts';

const sha = 'b'.repeat(64);
const spec: ModelSpec = {
  task: 'segmentation',
  variants: {
    fp32: { file: 'm.onnx', sha256: sha, bytes: 10 },
    fp16: { file: 'm.fp16.onnx', sha256: sha, bytes: 5, requires: ['shader-f16'] },
    int8: { file: 'm.int8.onnx', sha256: sha, bytes: 3, requires: [] },
  },
  inputs: [],
  outputs: [],
};

describe('chooseVariant', () => {
  it('gives fp16 only to adapters with shader-f16', () => {
    expect(chooseVariant(spec, 'fp16', 'webgpu', ['shader-f16']).name).toBe('fp16');
    const swiftShader = chooseVariant(spec, 'fp16', 'webgpu', []);
    expect(swiftShader).toMatchObject({ name: 'fp32', note: 'fp16 needs shader-f16, which this GPU adapter lacks; using fp32' });
  });
  it('lets WASM run any offered variant and falls back when a variant is absent', () => {
    expect(chooseVariant(spec, 'fp16', 'wasm', []).name).toBe('fp16');
    expect(chooseVariant(spec, 'int8', 'webgpu', []).name).toBe('int8');
    const only32: ModelSpec = { ...spec, variants: { fp32: spec.variants.fp32 } };
    expect(chooseVariant(only32, 'int8', 'wasm', []).note).toBe('int8 is not offered (offered: fp32); using fp32');
  });
});
