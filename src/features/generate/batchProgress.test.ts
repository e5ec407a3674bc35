import { describe, expect, it } from 'vitest';
import { estimateBatch, formatDuration } from './batchProgress';

describe('estimateBatch', () => {
  it('extrapolates the mean step time over the steps left in the batch', () => {
    // image 2 of 3 (index 1), step 5 of 10, 15 steps done in 30 s -> 2 s/step, 15 steps left.
    const estimate = estimateBatch({ image: 1, batchSize: 3, step: 5, totalSteps: 10, elapsedMs: 30_000 });
    expect(estimate.imageFraction).toBe(0.5);
    expect(estimate.batchFraction).toBe(0.5);
    expect(estimate.etaMs).toBe(30_000);
  });

  it('has no estimate before the first step', () => {
    expect(estimateBatch({ image: 0, batchSize: 2, step: 0, totalSteps: 20, elapsedMs: 900 }).etaMs).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('reads as seconds, then minutes and seconds', () => {
    expect(formatDuration(undefined)).toBe('…');
    expect(formatDuration(4_400)).toBe('4 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});
