import { describe, expect, it } from 'vitest';
import { diceHistogram, summarizeSegmentation } from './segmentationSummary.ts';

describe('summarizeSegmentation', () => {
  it('averages scored images, counts skipped empty truths, bins Dice', () => {
    const s = summarizeSegmentation([0.9, null, 0.8, 1], [0.8, null, 0.7, 1], { iterations: 20, seed: 0 });
    expect(s.n).toBe(3);
    expect(s.skippedEmpty).toBe(1);
    expect(s.meanDice).toBeCloseTo(0.9, 12);
    expect(s.medianDice).toBe(0.9);
    expect(s.meanIou).toBeCloseTo(2.5 / 3, 12);
    expect(s.ci.meanDice.low).toBeGreaterThanOrEqual(0.8);
    expect(s.ci.meanDice.high).toBeLessThanOrEqual(1);
  });
  it('puts 1.0 in the last bin', () => {
    expect(diceHistogram([0, 0.05, 0.999, 1], 20).counts).toEqual([1, 1, ...new Array(17).fill(0), 2]);
  });
});
