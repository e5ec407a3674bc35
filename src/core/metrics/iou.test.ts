import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { iou } from './iou.ts';

describe('iou (golden: sklearn jaccard_score, zero_division=1)', () => {
  it.each(golden.segmentation.map((g) => [g.name, g] as const))('%s', (_, g) => {
    expectClose(iou(g.prediction, g.truth) as number, g.iou);
  });
  it('leaves out empty ground truth under ignore-empty', () => {
    expect(iou([1, 0], [0, 0], 'ignore-empty')).toBeNull();
    expect(iou([1, 0], [0, 0], 'empty-is-one')).toBe(0);
  });
});
