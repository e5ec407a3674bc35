import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../../cli/bundle.ts';
import type { VariantSpec } from '../manifest/types.ts';
import type { GenerateRequest, GenerateResult } from './generate.ts';
import { buildProvenance } from './provenance.ts';

// The committed bundle's manifest; the request and result are what one generation returns.
const manifest = readBundle(resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1'));
const request: GenerateRequest = { prompt: 'chest x-ray, pneumonia', seed: 7, steps: 20, guidance: 5, scheduler: 'ddim', masks: [] };
const result: GenerateResult = {
  image01: new Float32Array(4), side: 2, latents: new Float32Array(4), inputIds: [1, 2], unknownWords: [],
  promptTruncated: false, timesteps: [999, 0], elapsedMs: 1234.4,
};

describe('buildProvenance', () => {
  it('names the fp32 file of each generator model when nothing else ran', () => {
    const p = buildProvenance(manifest, request, result, { engine: 'test', created: new Date(0) });
    expect(p.model.files.unet).toEqual({ file: 'unet.onnx', sha256: manifest.models.unet!.variants.fp32.sha256 });
    expect(Object.keys(p.model.files).sort()).toEqual(['text_encoder', 'tokenizer', 'unet', 'vae_decoder']);
    expect(p.elapsed_ms).toBe(1234);
    expect(p.created).toBe('1970-01-01T00:00:00.000Z');
  });

  it('names the variant file a role really ran, so the image can be made again', () => {
    const int8: VariantSpec = { file: 'unet.int8.onnx', sha256: 'ab'.repeat(32), bytes: 10 };
    const p = buildProvenance(manifest, request, result, { engine: 'test', variants: { unet: int8 } });
    expect(p.model.files.unet).toEqual({ file: 'unet.int8.onnx', sha256: 'ab'.repeat(32) });
    expect(p.model.files.vae_decoder.file).toBe('vae_decoder.onnx');
  });
});
