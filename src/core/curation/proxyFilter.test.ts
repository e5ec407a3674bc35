import { describe, expect, it } from 'vitest';
import { countKept, proxyKeeps } from './proxyFilter.ts';
import type { ProxyScore } from './proxyScore.ts';

function score(findingProbability: number | null, maskDice: number | null): ProxyScore {
  return { findingClass: findingProbability === null ? null : 'pneumonia', findingProbability, maskChannel: maskDice === null ? null : 'lung', maskDice };
}

const T = { minFindingProbability: 0.5, minMaskDice: 0.8 };

describe('proxyKeeps', () => {
  it('keeps at the threshold (>=) and rejects below it, on each score', () => {
    expect(proxyKeeps(score(0.5, 0.8), T)).toBe(true);
    expect(proxyKeeps(score(0.4999, 0.9), T)).toBe(false);
    expect(proxyKeeps(score(0.9, 0.7999), T)).toBe(false);
  });
  it('does not reject on a score that does not apply', () => {
    expect(proxyKeeps(score(null, 0.85), T)).toBe(true);
    expect(proxyKeeps(score(0.6, null), T)).toBe(true);
    expect(proxyKeeps(score(null, null), { minFindingProbability: 1, minMaskDice: 1 })).toBe(true);
  });
});

describe('countKept', () => {
  it('counts kept and rejected per group in first-seen order', () => {
    const items = [
      { prompt: 'b', p: 0.9 },
      { prompt: 'a', p: 0.1 },
      { prompt: 'b', p: 0.2 },
      { prompt: 'b', p: 0.7 },
    ];
    expect(countKept(items, (i) => i.prompt, (i) => i.p >= 0.5)).toEqual([
      { group: 'b', kept: 2, rejected: 1 },
      { group: 'a', kept: 0, rejected: 1 },
    ]);
  });
});
