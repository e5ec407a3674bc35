import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { rocAuc, rocAucOneVsRest, rocCurve } from './roc.ts';

describe('ROC (golden: sklearn roc_curve / roc_auc_score)', () => {
  it.each(golden.curves.map((g) => [g.name, g] as const))('%s', (_, g) => {
    const curve = rocCurve(g.truth, g.scores);
    expectClose(curve.fpr, g.roc.fpr);
    expectClose(curve.tpr, g.roc.tpr);
    expect(curve.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
    expectClose(curve.thresholds.slice(1), g.roc.thresholds_after_first);
    const all = rocCurve(g.truth, g.scores, false);
    expectClose(all.fpr, g.roc_all.fpr);
    expectClose(all.tpr, g.roc_all.tpr);
    expectClose(rocAuc(g.truth, g.scores), g.roc_auc);
  });

  it('one-vs-rest AUC per class, macro and weighted', () => {
    const { ovr } = golden;
    const r = rocAucOneVsRest(ovr.truth, ovr.probabilities, 4);
    expectClose(r.perClass, ovr.per_class);
    expectClose([r.macro, r.weighted], [ovr.macro, ovr.weighted]);
  });

  it('is NaN, not a number pretending, when only one class is present', () => {
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNaN();
  });
});
