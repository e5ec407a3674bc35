import { describe, expect, it } from 'vitest';
import { accuracyFromConfusion, confusionMatrix, countsFromConfusion } from './confusion.ts';
import golden from './fixtures/metrics_golden.json';

describe('confusionMatrix (golden: sklearn confusion_matrix, training/golden/golden_metrics.py)', () => {
  const [g] = golden.multiclass;
  it('counts truth rows x predicted columns, including a class never seen', () => {
    expect(confusionMatrix(g.truth, g.predicted, g.class_count)).toEqual(g.confusion);
  });
  it('gives accuracy and per-class counts', () => {
    const m = confusionMatrix(g.truth, g.predicted, g.class_count);
    expect(accuracyFromConfusion(m)).toBeCloseTo(g.accuracy, 12);
    expect(countsFromConfusion(m).map((c) => c.actual)).toEqual(g.per_class.support);
  });
  it('refuses labels outside the classes and unequal lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow('sample 1 has classes (3, 1); expected integers in 0..2');
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow('1 true labels but 2 predictions');
  });
});
