import { describe, expect, it } from 'vitest';
import { expectClose } from '../metrics/fixtures/close.ts';
import { runAugmentExperiment, seededPermutation } from './augmentExperiment.ts';
import golden from '../curation/fixtures/curation_golden.json';

const g = golden.augment;
const setup = {
  real: { features: g.real.X, labels: g.real.y },
  synthetic: { features: g.synthetic.X, labels: g.synthetic.y },
  test: { features: g.test.X, labels: g.test.y },
  classCount: 2, sizes: g.sizes, ratios: g.ratios, seed: g.seed, C: g.C, bootstrapIterations: g.iterations,
};

describe('runAugmentExperiment (golden: the same subsets, sklearn LogisticRegression and f1_score, mulberry32 bootstrap)', () => {
  const rows = runAugmentExperiment(setup);
  it.each(g.rows.map((row, i) => [`size ${row.size}, ratio ${row.ratio}`, row, i] as const))('%s', (_, want, i) => {
    const row = rows[i];
    expect([row.size, row.ratio, row.realCount, row.syntheticCount]).toEqual([want.size, want.ratio, want.size, Math.round(want.ratio * want.size)]);
    expectClose(row.f1.estimate, want.f1, 1e-12);
    expectClose([row.f1.low, row.f1.high], [want.low, want.high], 1e-12);
    if (want.ratio === 0) expect(row.gain).toBeNull();
    else expectClose([row.gain!.low, row.gain!.high], [(want as { gain_low: number }).gain_low, (want as { gain_high: number }).gain_high], 1e-12);
  });
  it('gives the same rows for the same seed, and reports progress', () => {
    const seen: number[] = [];
    const again = runAugmentExperiment(setup, (p) => seen.push(p.done));
    expect(again).toEqual(rows);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('stops between rows when asked', () => {
    let calls = 0;
    expect(runAugmentExperiment(setup, undefined, () => ++calls > 2)).toHaveLength(2);
  });
});

describe('seededPermutation', () => {
  it('is a permutation, fixed by the seed', () => {
    const p = seededPermutation(20, 3);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(seededPermutation(20, 3)).toEqual(p);
    expect(seededPermutation(20, 4)).not.toEqual(p);
  });
});
