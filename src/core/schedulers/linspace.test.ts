import { describe, expect, it } from 'vitest';
import { linspace, roundHalfEven } from './linspace';

describe('linspace', () => {
  it('includes both ends and spaces evenly', () => {
    expect(linspace(999, 0, 4)).toEqual([999, 666, 333, 0]);
    expect(linspace(2, 2, 1)).toEqual([2]);
  });
});

describe('roundHalfEven', () => {
  it('rounds halves to the even neighbour like numpy', () => {
    expect([0.5, 1.5, 2.5, 166.5, 499.5, -0.5, -1.5].map(roundHalfEven)).toEqual([0, 2, 2, 166, 500, -0, -2]);
    expect([0.49, 0.51, 832.4999].map(roundHalfEven)).toEqual([0, 1, 832]);
  });
});
