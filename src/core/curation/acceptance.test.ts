import { describe, expect, it } from 'vitest';
import { acceptanceBy } from './acceptance.ts';
import golden from './fixtures/curation_golden.json';

describe('acceptanceBy (golden: numpy group-by, training/golden/golden_curation.py)', () => {
  it('gives n, accepted, rate and mean realism per key', () => {
    const rows = acceptanceBy(golden.acceptance.records);
    expect(rows.map((r) => r.key)).toEqual(golden.acceptance.groups.map((g) => g.key));
    rows.forEach((row, i) => {
      const g = golden.acceptance.groups[i];
      expect(row.n).toBe(g.n);
      expect(row.accepted).toBe(g.accepted);
      expect(row.rate).toBeCloseTo(g.rate, 12);
      if (g.mean_realism === null) expect(row.meanRealism).toBeNull();
      else expect(row.meanRealism).toBeCloseTo(g.mean_realism, 12);
    });
  });
  it('leaves a group with no realism scores at null', () => {
    expect(acceptanceBy([{ key: 'x', accepted: false, realism: null }])).toEqual([{ key: 'x', n: 1, accepted: 0, rate: 0, meanRealism: null }]);
  });
});
