import { describe, expect, it } from 'vitest';
import { activateChannels, activateVector, oneLogitPair, sigmoid, softmax } from './activation.ts';

// Reference values: scipy.special.softmax / expit (float64). Tolerance 1e-7.
describe('activations', () => {
  it('softmax matches scipy and is stable for large logits', () => {
    const expected = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219];
    softmax([1, 2, 3]).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 7));
    softmax([1001, 1002, 1003]).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 7));
  });
  it('sigmoid matches scipy expit, including large negative inputs', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2)).toBeCloseTo(0.8807970779778823, 12);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-2)).toBeCloseTo(0.11920292202211755, 12);
  });
  it('channel softmax runs across planes per pixel', () => {
    // 2 channels, 2 pixels: pixel 0 logits (0, ln 3) -> (0.25, 0.75); pixel 1 (0, 0) -> (0.5, 0.5)
    const out = activateChannels(Float32Array.from([0, 0, Math.log(3), 0]), 2, 'softmax');
    expect(Array.from(out).map((v) => +v.toFixed(6))).toEqual([0.25, 0.5, 0.75, 0.5]);
  });
  it('vector activation passes through for "none"', () => {
    expect(activateVector([0.2, -1], 'none')).toEqual([0.2, -1]);
    expect(activateVector([0], 'sigmoid')).toEqual([0.5]);
  });
  it('gives a binary classifier\'s one logit to the second class and the rest to the first', () => {
    // expit(1.5) = 0.8175744761936437
    const [negative, positive] = oneLogitPair(1.5);
    expect(positive).toBeCloseTo(0.8175744761936437, 12);
    expect(negative).toBeCloseTo(1 - 0.8175744761936437, 12);
  });
});
