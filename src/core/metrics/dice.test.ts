import { describe, expect, it } from 'vitest';
import { dice, diceScore } from './dice.ts';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';

describe('dice', () => {
  it('matches 2|A∩B|/(|A|+|B|) on a hand-made case', () => {
    // |A| = 3, |B| = 2, |A∩B| = 1 -> 2/5
    expect(dice([1, 1, 1, 0, 0], [0, 0, 1, 1, 0])).toBeCloseTo(0.4, 12);
  });
  it('treats any positive value as foreground (0/255 masks)', () => {
    expect(dice([255, 0, 255], [1, 0, 1])).toBe(1);
  });
  it('states the empty-mask convention: both empty = 1, one empty = 0', () => {
    expect(dice([0, 0], [0, 0])).toBe(1);
    expect(dice([0, 0], [0, 1])).toBe(0);
  });
  it('refuses masks of different sizes', () => {
    expect(() => dice([1], [1, 0])).toThrow('dice: masks differ in size (1 vs 2 pixels)');
  });
});

describe('diceScore with an explicit empty-truth rule (golden: MONAI DiceMetric rules, training/golden/golden_metrics.py)', () => {
  it.each(golden.segmentation.map((g) => [g.name, g] as const))('%s', (_, g) => {
    expectClose(diceScore(g.prediction, g.truth, 'empty-is-one') as number, g.dice_empty_is_one);
    const ignored = diceScore(g.prediction, g.truth, 'ignore-empty');
    if (g.dice_ignore_empty === null) expect(ignored).toBeNull();
    else expectClose(ignored as number, g.dice_ignore_empty);
  });
});
