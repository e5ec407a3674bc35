import { Float16Array } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import { float16Tensor, float32Tensor, float32Values, int64Tensor } from './runner.ts';

describe('float16 tensors (a graph converted to float16 without keep_io_types)', () => {
  it('holds the IEEE half bits of each value, rounded to the nearest half', () => {
    const tensor = float16Tensor(Float32Array.of(1, -2, 65504, 0.1, 0, 1 / 3), [1, 6]);
    expect(tensor.type).toBe('float16');
    expect(tensor.dims).toEqual([1, 6]);
    // 0.1 and 1/3 are not halves: 0x2e66 is 0.0999755859375, 0x3555 0.333251953125
    expect([...(tensor.data as Uint16Array)]).toEqual([0x3c00, 0xc000, 0x7bff, 0x2e66, 0x0000, 0x3555]);
    expect(() => float16Tensor(new Float32Array(5), [1, 6])).toThrow('float16Tensor: 5 values do not fill dims [1, 6]');
  });

  it('reads float16 outputs back as float32, from half bits (onnxruntime-node) or a Float16Array (onnxruntime-web in Chromium)', () => {
    const values = Float32Array.of(0.5, -0.25, 1024, 0.0999755859375);
    const bits = float16Tensor(values, [4]);
    expect([...float32Values(bits)]).toEqual([...values]);
    // a Float16Array: the polyfill here stands in for Chromium's own, which ORT hands out there
    const typed = { type: 'float16' as const, dims: [4], data: new Float16Array(values) as unknown as Uint16Array };
    expect(typed.data instanceof Uint16Array).toBe(false);
    expect([...float32Values(typed)]).toEqual([...values]);
    // float32 is returned as it is; a non-float tensor has no float values
    const float = float32Tensor(values, [4]);
    expect(float32Values(float)).toBe(float.data);
    expect(() => float32Values(int64Tensor(new BigInt64Array(1), [1]))).toThrow('an int64 tensor holds no float values');
  });
});
