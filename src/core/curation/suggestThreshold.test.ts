import { describe, expect, it } from 'vitest';
import { expectClose } from '../metrics/fixtures/close.ts';
import golden from './fixtures/curation_golden.json';
import { suggestThreshold } from './suggestThreshold.ts';

describe('suggestThreshold (golden: argmax of tpr - fpr over sklearn roc_curve)', () => {
  it.each(golden.thresholds.map((g) => [g.name, g] as const))('%s', (_, g) => {
    const suggestion = suggestThreshold(g.score, g.accepted.map(Boolean));
    expect(suggestion).not.toBeNull();
    expectClose(suggestion!.threshold, g.threshold, 0);
    expectClose(suggestion!.youden, g.youden, 1e-12);
    expectClose(suggestion!.agreement, g.agreement, 1e-12);
  });
  it('separates perfectly separable reviews at the lowest accepted score', () => {
    expect(suggestThreshold([0.1, 0.3, 0.6, 0.9], [false, false, true, true])).toEqual({ threshold: 0.6, youden: 1, agreement: 1 });
  });
  it('has nothing to suggest when every review says the same', () => {
    expect(suggestThreshold([0.2, 0.8], [true, true])).toBeNull();
  });
});
