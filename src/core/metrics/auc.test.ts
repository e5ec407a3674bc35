import { describe, expect, it } from 'vitest';
import { trapezoidArea } from './auc.ts';

describe('trapezoidArea', () => {
  it('integrates a piecewise-linear curve in either x direction', () => {
    // triangle (0,0) (1,1) (2,0): area 1
    expect(trapezoidArea([0, 1, 2], [0, 1, 0])).toBe(1);
    expect(trapezoidArea([2, 1, 0], [0, 1, 0])).toBe(1);
    expect(trapezoidArea([0, 0.5, 1], [1, 1, 1])).toBe(1);
  });
});
