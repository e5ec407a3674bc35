import { describe, expect, it } from 'vitest';
import { float32Tensor } from '../runner.ts';
import { checkTensor } from './checkTensor.ts';

const spec = { name: 'logits', shape: ['batch', 2, 4, 4], dtype: 'float32' as const };

describe('checkTensor', () => {
  it('accepts a symbolic batch and binds it', () => {
    const bindings = new Map<string, number>();
    checkTensor(float32Tensor(new Float32Array(32), [1, 2, 4, 4]), spec, 'out', bindings);
    expect(bindings.get('batch')).toBe(1);
    expect(() => checkTensor(float32Tensor(new Float32Array(64), [2, 2, 4, 4]), spec, 'out', bindings)).toThrow('expected shape [batch, 2, 4, 4], received [2, 2, 4, 4]');
  });
  it('says what was expected and received for shape, dtype and absence', () => {
    expect(() => checkTensor(float32Tensor(new Float32Array(16), [1, 1, 4, 4]), spec, 'segmenter output')).toThrow('segmenter output "logits": expected shape [batch, 2, 4, 4], received [1, 1, 4, 4]');
    expect(() => checkTensor({ type: 'int64', dims: [1, 2, 4, 4], data: new BigInt64Array(32) }, spec, 'o')).toThrow('expected dtype float32, received int64');
    expect(() => checkTensor(undefined, spec, 'o')).toThrow('expected a tensor named "logits", received none');
  });
});
