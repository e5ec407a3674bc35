import { describe, expect, it } from 'vitest';
import { avgPool } from './avgPool';

describe('avgPool', () => {
  it('averages each block', () => {
    // 4x4 -> 2x2 with pool 2
    const values = [1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0];
    expect(Array.from(avgPool(values, 4, 2))).toEqual([0.75, 0, 1, 0.75]);
  });

  it('rejects a raster of the wrong size or a pool that does not divide it', () => {
    expect(() => avgPool(new Uint8Array(15), 4, 2)).toThrow(/received 15/);
    expect(() => avgPool(new Uint8Array(16), 4, 3)).toThrow(/must divide/);
  });
});
