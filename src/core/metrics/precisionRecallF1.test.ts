import { describe, it } from 'vitest';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { binaryScores, multiClassReport, type ZeroDivision } from './precisionRecallF1.ts';

// Both sides compute in float64 from integer counts.
const TOLERANCE = 1e-12;

describe('precision / recall / F1 (golden: sklearn precision_recall_fscore_support 1.2)', () => {
  it.each(golden.binary.map((g) => [`${g.name}, zero_division=${g.zero_division}`, g] as const))('binary: %s', (_, g) => {
    const s = binaryScores(g.truth, g.predicted, g.zero_division as ZeroDivision);
    expectClose([s.precision, s.recall, s.f1], [g.precision, g.recall, g.f1], TOLERANCE);
  });

  it.each(golden.multiclass.map((g) => [g.zero_division, g] as const))('multi-class, zero_division=%s', (_, g) => {
    const r = multiClassReport(g.truth, g.predicted, g.class_count, g.zero_division as ZeroDivision);
    expectClose(r.perClass.map((c) => c.precision), g.per_class.precision, TOLERANCE);
    expectClose(r.perClass.map((c) => c.recall), g.per_class.recall, TOLERANCE);
    expectClose(r.perClass.map((c) => c.f1), g.per_class.f1, TOLERANCE);
    expectClose(r.perClass.map((c) => c.support), g.per_class.support, 0);
    for (const avg of ['macro', 'micro', 'weighted'] as const) {
      expectClose([r[avg].precision, r[avg].recall, r[avg].f1], [g[avg].precision, g[avg].recall, g[avg].f1], TOLERANCE);
    }
    expectClose(r.accuracy, g.accuracy, TOLERANCE);
  });
});
