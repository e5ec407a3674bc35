import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { mean, median, percentile } from './quantile.ts';

describe('percentile (golden: numpy.percentile, linear)', () => {
  it('matches numpy at 0, 2.5, 50, 97.5, 100', () => {
    const { values, q, expected } = golden.bootstrap.percentile;
    expectClose(q.map((p) => percentile(values, p)), expected);
  });
  it('median and mean of small lists; NaN when empty', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(mean([1, 2, 3])).toBe(2);
    expect(median([])).toBeNaN();
  });
});
