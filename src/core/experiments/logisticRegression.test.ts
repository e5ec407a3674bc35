import { describe, expect, it } from 'vitest';
import { expectClose } from '../metrics/fixtures/close.ts';
import golden from '../curation/fixtures/curation_golden.json';
import { fitLogisticClassifier, predictProbabilities } from './logisticRegression.ts';
import { fitStandardizer, standardize } from './standardize.ts';

describe('logistic regression (golden: sklearn LogisticRegression l2 newton-cg after StandardScaler)', () => {
  it.each(golden.logistic.map((g) => [g.name, g] as const))('%s', (_, g) => {
    const scaler = fitStandardizer(g.X);
    expectClose([...scaler.mean], g.mean, 1e-12);
    expectClose([...scaler.scale], g.scale, 1e-12);
    const rows = g.X.map((r) => standardize(scaler, r));
    const model = fitLogisticClassifier(rows, g.y, g.classes, { C: g.C });
    model.models.forEach((m, k) => {
      expectClose([...m.weights], g.coef[k], 1e-6);
      expectClose(m.intercept, g.intercept[k], 1e-6);
      expect(m.iterations).toBeLessThan(30);
    });
    g.X_test.forEach((row, i) => expectClose(predictProbabilities(model, standardize(scaler, row)), g.proba_test[i], 1e-7));
  });
  it('predicts the only class seen when training has one class (sklearn refuses; a small subset can draw it)', () => {
    const model = fitLogisticClassifier([[0, 1], [1, 0], [2, 2]], [1, 1, 1], 2);
    expect(predictProbabilities(model, [5, 5])).toEqual([0, 1]);
    const ovr = fitLogisticClassifier([[0, 1], [1, 0], [2, 2], [3, 1]], [0, 2, 0, 2], 3);
    expect(predictProbabilities(ovr, [0, 1])[1]).toBe(0);
  });
  it('gives the same weights on a second fit (deterministic)', () => {
    const g = golden.logistic[0];
    const a = fitLogisticClassifier(g.X, g.y, 2);
    const b = fitLogisticClassifier(g.X, g.y, 2);
    expect([...a.models[0].weights]).toEqual([...b.models[0].weights]);
  });
});
