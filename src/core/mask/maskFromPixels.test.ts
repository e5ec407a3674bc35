import { describe, expect, it } from 'vitest';
import { maskFromPixels } from './maskFromPixels';

describe('maskFromPixels', () => {
  it('thresholds gray at > 127', () => {
    const data = [0, 127, 128, 255];
    expect(Array.from(maskFromPixels({ width: 2, height: 2, channels: 1, data }, 2))).toEqual([0, 0, 1, 1]);
  });

  it('treats transparent pixels as background and uses the first channel of RGBA', () => {
    const data = [255, 0, 0, 255, 255, 255, 255, 0, 10, 10, 10, 255, 200, 0, 0, 255];
    expect(Array.from(maskFromPixels({ width: 2, height: 2, channels: 4, data }, 2))).toEqual([1, 0, 0, 1]);
  });

  it('resamples nearest-neighbour to the requested side', () => {
    const data = [255, 0, 0, 255];
    expect(Array.from(maskFromPixels({ width: 2, height: 2, channels: 1, data }, 4))).toEqual([
      1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1,
    ]);
  });

  it('reads 16-bit masks against their own range', () => {
    const data = [30000, 40000];
    expect(Array.from(maskFromPixels({ width: 2, height: 1, channels: 1, data, maxValue: 65535 }, 2))).toEqual([0, 1, 0, 1]);
  });

  it('rejects a buffer that does not match its size', () => {
    expect(() => maskFromPixels({ width: 2, height: 2, channels: 1, data: [0, 0, 0] }, 2)).toThrow(/received 3/);
  });
});
