import { describe, it } from 'vitest';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { multiLabelReport } from './multiLabel.ts';
import type { ZeroDivision } from './precisionRecallF1.ts';

describe('multi-label scores (golden: sklearn on indicator matrices)', () => {
  it.each(golden.multilabel.map((g) => [g.zero_division, g] as const))('zero_division=%s, with an all-negative label and an empty sample', (_, g) => {
    const r = multiLabelReport(g.truth, g.predicted, g.zero_division as ZeroDivision);
    expectClose(r.perLabel.map((c) => c.f1), g.per_label.f1);
    expectClose(r.perLabel.map((c) => c.precision), g.per_label.precision);
    expectClose(r.perLabel.map((c) => c.recall), g.per_label.recall);
    for (const avg of ['macro', 'micro', 'weighted', 'samples'] as const) {
      expectClose([r[avg].precision, r[avg].recall, r[avg].f1], [g[avg].precision, g[avg].recall, g[avg].f1]);
    }
  });
});
