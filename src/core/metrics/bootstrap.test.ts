import { describe, expect, it } from 'vitest';
import { bootstrapInterval, formatInterval, hasBounds, meanOver, pairedDifferenceInterval, resampleIndices } from './bootstrap.ts';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { multiClassReport } from './precisionRecallF1.ts';

const { bootstrap: g } = golden;
const options = { iterations: g.iterations, seed: g.seed, level: g.level };

describe('bootstrap (golden: mulberry32 indices in Python, numpy percentile, sklearn f1_score)', () => {
  it('draws the same resample indices as the Python transcription of mulberry32', () => {
    const [first] = resampleIndices(g.first_indices.length, 1, g.seed);
    expect([...first]).toEqual(g.first_indices);
  });

  it('95% interval of a mean', () => {
    const ci = bootstrapInterval(g.mean.values.length, meanOver(g.mean.values), options);
    expectClose([ci.estimate, ci.low, ci.high], [g.mean.estimate, g.mean.low, g.mean.high]);
    expect(ci.dropped).toBe(0);
  });

  it('paired difference of two per-case scores on the same resamples', () => {
    const { a, b } = g.paired_difference;
    const ci = pairedDifferenceInterval(a.length, meanOver(a), meanOver(b), options);
    expectClose([ci.estimate, ci.low, ci.high], [g.paired_difference.estimate, g.paired_difference.low, g.paired_difference.high]);
  });

  it('interval of macro F1 recomputed on each resample', () => {
    const [mc] = golden.multiclass;
    const macroF1 = (idx: Uint32Array) => multiClassReport([...idx].map((i) => mc.truth[i]), [...idx].map((i) => mc.predicted[i]), mc.class_count, 0).macro.f1;
    const ci = bootstrapInterval(mc.truth.length, macroF1, options);
    expectClose([ci.estimate, ci.low, ci.high], [g.macro_f1.estimate, g.macro_f1.low, g.macro_f1.high]);
  });

  it('is the same for the same seed and differs for another', () => {
    const values = g.mean.values;
    const again = bootstrapInterval(values.length, meanOver(values), options);
    const other = bootstrapInterval(values.length, meanOver(values), { ...options, seed: g.seed + 1 });
    expect(again).toEqual(bootstrapInterval(values.length, meanOver(values), options));
    expect(other.low).not.toBe(again.low);
  });

  it('leaves out resamples where the statistic is undefined and says how many', () => {
    const ci = bootstrapInterval(10, (idx) => (idx[0] === 0 ? Number.NaN : 1), { iterations: 200, seed: 1 });
    expect(ci.dropped).toBeGreaterThan(0);
    expect(ci.dropped).toBeLessThan(200);
    expect([ci.low, ci.high]).toEqual([1, 1]);
  });
});

describe('an interval in words', () => {
  it('prints the estimate and its bounds, and the estimate alone without resamples (never "[NaN, NaN]")', () => {
    const scores = meanOver([0.9, 0.8, 0.95, 0.85]);
    const ci = bootstrapInterval(4, scores, { iterations: 200, seed: 1 });
    expect(formatInterval(ci)).toMatch(/^0\.875 \[0\.8\d\d, 0\.9\d\d\]$/);
    const none = bootstrapInterval(4, scores, { iterations: 0, seed: 1 });
    expect(hasBounds(none)).toBe(false);
    expect(formatInterval(none, 4)).toBe('0.8750');
  });
});
