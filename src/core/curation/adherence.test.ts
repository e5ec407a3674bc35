import { describe, expect, it } from 'vitest';
import { adherenceByGroup, adherenceText } from './adherence.ts';
import type { ScoredImage } from './proxyScore.ts';

const image = (prompt: string, findingClass: string | null, probabilities: Record<string, number>, maskDice: number | null) => ({
  prompt,
  score: { findingClass, findingProbability: findingClass ? probabilities[findingClass] : null, maskChannel: maskDice === null ? null : 'lung', maskDice, probabilities } satisfies ScoredImage,
});

describe('adherence of a synthetic set', () => {
  it('counts arg-max hits of the prompted finding and averages mask Dice, per prompt and overall', () => {
    const items = [
      image('tb', 'tuberculosis', { normal: 0.2, tuberculosis: 0.7, pneumonia: 0.1 }, 0.9),
      image('tb', 'tuberculosis', { normal: 0.5, tuberculosis: 0.4, pneumonia: 0.1 }, null),
      image('free text', null, { normal: 0.9, tuberculosis: 0.05, pneumonia: 0.05 }, 0.8),
    ];
    const rows = adherenceByGroup(items, (i) => i.prompt, (i) => i.score);
    expect(rows.map((r) => r.group)).toEqual(['tb', 'free text', 'all']);
    expect(rows[0]).toMatchObject({ images: 2, withFinding: 2, promptAdherence: 0.5, withMask: 1, maskAdherence: 0.9 });
    expect(rows[0].meanFindingProbability).toBeCloseTo(0.55, 12);
    expect(rows[1]).toMatchObject({ images: 1, withFinding: 0, promptAdherence: null, meanFindingProbability: null, withMask: 1, maskAdherence: 0.8 });
    expect(rows[2]).toMatchObject({ images: 3, withFinding: 2, promptAdherence: 0.5, withMask: 2 });
    expect(rows[2].maskAdherence).toBeCloseTo(0.85, 12);
  });
  it('gives no rows but "all" for an empty set', () => {
    expect(adherenceByGroup([], () => '', (s: ScoredImage) => s)).toEqual([{ group: 'all', images: 0, withFinding: 0, promptAdherence: null, meanFindingProbability: null, withMask: 0, maskAdherence: null }]);
  });
  it('writes a share with its count, and a dash where no image counted', () => {
    expect(adherenceText(0.875, 8)).toBe('0.875 (8)');
    expect(adherenceText(0.3333333)).toBe('0.333');
    expect(adherenceText(null, 0)).toBe('—');
  });
});
