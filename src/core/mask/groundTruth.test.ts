import { describe, expect, it } from 'vitest';
import { groundTruthMask } from './groundTruth.ts';

describe('groundTruthMask: foreground at >= half of the mask maximum', () => {
  it('reads 0/1, 0/255 and 16-bit masks alike', () => {
    expect([...groundTruthMask([0, 1, 1, 0])]).toEqual([0, 1, 1, 0]);
    expect([...groundTruthMask([0, 255, 255, 0])]).toEqual([0, 1, 1, 0]);
    expect([...groundTruthMask([0, 65535, 65535, 0])]).toEqual([0, 1, 1, 0]);
  });

  it('leaves a gray noise floor out (the "> 0" rule called it lung)', () => {
    expect([...groundTruthMask([3, 12, 240, 250, 124, 126])]).toEqual([0, 0, 1, 1, 0, 1]);
  });

  it('keeps an all-zero mask empty', () => {
    expect([...groundTruthMask(new Float32Array(5))]).toEqual([0, 0, 0, 0, 0]);
  });
});
