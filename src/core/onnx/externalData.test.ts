import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { embedExternalData, externalDataFiles } from './externalData.ts';

const USER_MODELS = resolve(import.meta.dirname, '../../../testdata/user-models');
const SHIPPED = resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1/segmenter.int8.onnx');
/** The shipped int8 segmenter saved with its weights in a separate file, as PyTorch 2.9 exports by default (scripts/make_user_model_fixtures.py). */
const graphOnly = new Uint8Array(readFileSync(resolve(USER_MODELS, 'segmenter-external.onnx')));
const data = new Uint8Array(readFileSync(resolve(USER_MODELS, 'segmenter-external.onnx.data')));

async function logits(model: Uint8Array | string, pixels: Float32Array): Promise<Float32Array> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  try {
    const out = await session.run({ image: new ort.Tensor('float32', pixels, [1, 1, 256, 256]) });
    return out.logits.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('ONNX external data: a model whose weights are in a separate file', () => {
  it('names the file the weights are in; a self-contained model names none', () => {
    expect(externalDataFiles(graphOnly)).toEqual(['segmenter-external.onnx.data']);
    expect(externalDataFiles(new Uint8Array(readFileSync(SHIPPED)))).toEqual([]);
    // not ONNX, or cut short: nothing to name here (onnxruntime refuses the file itself)
    expect(externalDataFiles(new TextEncoder().encode('this is not a model\n'))).toEqual([]);
    expect(externalDataFiles(graphOnly.subarray(0, graphOnly.length - 100))).toEqual([]);
  });

  it('becomes one self-contained model that onnxruntime opens from bytes and that gives the shipped segmenter\'s logits', async () => {
    // from bytes, onnxruntime cannot reach the data file
    await expect(ort.InferenceSession.create(graphOnly)).rejects.toThrow(/segmenter-external\.onnx\.data/);
    const merged = embedExternalData(graphOnly, new Map([['segmenter-external.onnx.data', data]]));
    expect(externalDataFiles(merged)).toEqual([]);
    expect(merged.length).toBeGreaterThan(data.length);
    const pixels = Float32Array.from({ length: 256 * 256 }, (_, i) => ((i * 2654435761) % 256) / 255);
    expect(await logits(merged, pixels)).toEqual(await logits(SHIPPED, pixels));
  });

  it('refuses a missing or short data file by name', () => {
    expect(() => embedExternalData(graphOnly, new Map(), 'segmenter-external.onnx'))
      .toThrow('segmenter-external.onnx keeps its weights in a separate file, segmenter-external.onnx.data, which was not given with it (PyTorch exports so by default since 2.9): choose both files together');
    expect(() => embedExternalData(graphOnly, new Map([['segmenter-external.onnx.data', data.subarray(0, 1000)]])))
      .toThrow(/^segmenter-external\.onnx\.data is shorter \(1000 bytes\) than the model says/);
  });
});
