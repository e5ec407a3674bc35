import { describe, expect, it } from 'vitest';
import { bootstrapInterval } from '../metrics/bootstrap.ts';
import type { CaseResult } from './caseResult.ts';
import { compareModels } from './comparison.ts';

const bootstrap = { iterations: 200, seed: 5, level: 0.95 };
const item = (stem: string, extra: Partial<CaseResult>): CaseResult => ({ stem, image: `${stem}.png`, ms: 0, ...extra });

describe('compareModels', () => {
  const truth = [0, 1, 1, 0, 1, 0, 1, 1];
  const predA = [0, 1, 1, 0, 1, 0, 0, 1];
  const predB = [0, 0, 1, 1, 1, 0, 0, 0];
  const a = truth.map((t, i) => item(`s${i}`, { classIndex: t, predictedIndex: predA[i], dice: 0.9 + i / 100 }));
  const b = truth.map((t, i) => item(`s${i}`, { classIndex: t, predictedIndex: predB[i], dice: 0.85 + i / 100 }));

  it('gives A - B with a paired interval on the same resamples', () => {
    const r = compareModels({ name: 'A', cases: a }, { name: 'B', cases: [...b].reverse() }, 2, { zeroDivision: 0, bootstrap });
    expect(r.classification!.n).toBe(8);
    expect(r.classification!.accuracy.estimate).toBeCloseTo(7 / 8 - 4 / 8, 12);
    expect(r.segmentation!.meanDice.estimate).toBeCloseTo(0.05, 12);
    // every resample has the same per-case gap of 0.05, so the paired interval collapses to it
    expect(r.segmentation!.meanDice.low).toBeCloseTo(0.05, 12);
    expect(r.segmentation!.meanDice.high).toBeCloseTo(0.05, 12);
  });

  it('is the interval of the per-case difference of correctness for accuracy', () => {
    const diff = truth.map((t, i) => Number(predA[i] === t) - Number(predB[i] === t));
    const direct = bootstrapInterval(8, (idx) => idx.reduce((s, i) => s + diff[i], 0) / idx.length, bootstrap);
    const r = compareModels({ name: 'A', cases: a }, { name: 'B', cases: b }, 2, { zeroDivision: 0, bootstrap });
    expect(r.classification!.accuracy.low).toBeCloseTo(direct.low, 12);
    expect(r.classification!.accuracy.high).toBeCloseTo(direct.high, 12);
  });

  it('uses only cases both models scored', () => {
    const broken = b.map((c, i) => (i < 3 ? { ...c, error: { code: 'image-decode-failed', detail: 'x' } } : c));
    expect(compareModels({ name: 'A', cases: a }, { name: 'B', cases: broken }, 2, { zeroDivision: 0, bootstrap }).classification!.n).toBe(5);
  });
});
