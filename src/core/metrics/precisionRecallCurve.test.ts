import { describe, it } from 'vitest';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { averagePrecision, precisionRecallAuc, precisionRecallCurve } from './precisionRecallCurve.ts';

describe('precision-recall curve (golden: sklearn precision_recall_curve / average_precision_score / auc)', () => {
  it.each(golden.curves.map((g) => [g.name, g] as const))('%s', (_, g) => {
    const curve = precisionRecallCurve(g.truth, g.scores);
    expectClose(curve.precision, g.pr.precision);
    expectClose(curve.recall, g.pr.recall);
    expectClose(curve.thresholds, g.pr.thresholds);
    expectClose(averagePrecision(g.truth, g.scores), g.average_precision);
    expectClose(precisionRecallAuc(g.truth, g.scores), g.pr_auc_trapezoid);
  });
});
