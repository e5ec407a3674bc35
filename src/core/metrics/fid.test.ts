import { describe, expect, it } from 'vitest';
import golden from '../curation/fixtures/curation_golden.json';
import { fid } from './fid.ts';

describe('fid (golden: training/golden/golden_curation.py)', () => {
  it.each(golden.fid.map((g) => [g.name, g] as const))('%s', (_, g) => {
    const value = fid(g.a, g.b);
    // With fewer samples than dimensions, Σa^½ Σb Σa^½ has zero eigenvalues that rounding
    // leaves at ±1e-14; their square roots (~1e-7) differ between eigen solvers, hence 1e-6 there.
    const singular = g.a.length <= g.a[0].length || g.b.length <= g.b[0].length;
    const tolerance = (singular ? 1e-6 : 1e-9) * Math.max(1, g.fid_eigh);
    expect(Math.abs(value - g.fid_eigh), `eigh reference ${g.fid_eigh}`).toBeLessThan(tolerance);
    if ('fid_sqrtm' in g) expect(Math.abs(value - (g.fid_sqrtm as number)), `scipy sqrtm ${g.fid_sqrtm}`).toBeLessThan(1e-8 * Math.max(1, g.fid_eigh));
  });
  it('is 0 for a set against itself', () => {
    const g = golden.fid[1];
    expect(Math.abs(fid(g.a, g.a))).toBeLessThan(1e-9);
  });
});
