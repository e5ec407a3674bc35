import { describe, expect, it } from 'vitest';
import { compareJudges, judgeKey, judgeLabel, type JudgeScores } from './judges.ts';
import type { ScoredImage } from './proxyScore.ts';

const score = (pTb: number, maskDice: number | null): ScoredImage => ({
  findingClass: 'tuberculosis',
  findingProbability: pTb,
  maskChannel: maskDice === null ? null : 'lung',
  maskDice,
  probabilities: { normal: 1 - pTb, tuberculosis: pTb },
});

describe('judges of generated images', () => {
  it('keys one bundle by its id, as scores were stored before, and a mix by both names', () => {
    expect(judgeKey({ classifier: 'cxr-studio-v1', segmenter: 'cxr-studio-v1' })).toBe('cxr-studio-v1');
    expect(judgeKey({ classifier: 'cxr-studio-v1' })).toBe('cxr-studio-v1');
    expect(judgeKey({ classifier: 'cxr-studio-v1', segmenter: 'mine.onnx' })).toBe('cxr-studio-v1 + mine.onnx');
    expect(judgeLabel({ classifier: 'cxr-studio-v1', segmenter: 'mine.onnx' })).toBe('classifier cxr-studio-v1, segmenter mine.onnx');
    expect(judgeLabel({ classifier: 'cxr-studio-v1', segmenter: 'cxr-studio-v1' })).toBe('cxr-studio-v1 (classifier and segmenter)');
  });

  it('compares judges on the images all of them scored, with the filter verdicts of each against the first', () => {
    const own: JudgeScores = { judge: { classifier: 'bundle', segmenter: 'bundle' }, scores: { a: score(0.9, 0.95), b: score(0.6, 0.5), c: score(0.2, null), d: score(0.8, 0.9) } };
    const other: JudgeScores = { judge: { classifier: 'independent', segmenter: 'bundle' }, scores: { a: score(0.7, 0.95), b: score(0.3, 0.5), c: score(0.4, null) } };
    const { images, rows } = compareJudges(['d', 'c', 'b', 'a'], [own, other], { minFindingProbability: 0.5, minMaskDice: 0.4 });
    expect(images).toEqual(['c', 'b', 'a']); // d: only the first judge scored it
    expect(rows[0].adherence).toMatchObject({ images: 3, withFinding: 3, withMask: 2 });
    expect(rows[0].adherence.promptAdherence).toBeCloseTo(2 / 3, 12); // b and a: p(tb) above p(normal)
    expect(rows[1].adherence.promptAdherence).toBeCloseTo(1 / 3, 12); // only a
    expect(rows[0].adherence.maskAdherence).toBeCloseTo(0.725, 12);
    expect(rows.map((r) => r.kept)).toEqual([2, 1]); // first keeps b and a; the other only a
    expect(rows[0].agreement).toBeNull();
    expect(rows[1].agreement).toBeCloseTo(2 / 3, 12); // c rejected by both, a kept by both, b differs
  });

  it('gives empty rows when no image was scored by every judge', () => {
    const { images, rows } = compareJudges(['a'], [{ judge: { classifier: 'x' }, scores: { a: score(0.9, null) } }, { judge: { classifier: 'y' }, scores: {} }], { minFindingProbability: 0.5, minMaskDice: 0.5 });
    expect(images).toEqual([]);
    expect(rows.map((r) => [r.adherence.images, r.kept, r.agreement])).toEqual([[0, 0, null], [0, 0, null]]);
  });
});
