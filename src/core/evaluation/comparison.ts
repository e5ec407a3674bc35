import { pairedDifferenceInterval, type BootstrapOptions, type Interval } from '../metrics/bootstrap.ts';
import { accuracyFromConfusion, confusionMatrix, countsFromConfusion } from '../metrics/confusion.ts';
import { averageScores, type ZeroDivision } from '../metrics/precisionRecallF1.ts';
import type { CaseResult } from './caseResult.ts';

/**
 * Two models on the same test set: A - B for each headline number, with a
 * paired bootstrap interval (both models scored on the same resampled cases).
 * Only cases both models scored enter (matched by stem), so a file one model
 * failed on does not bias the other.
 */
export interface ModelComparison {
  a: string;
  b: string;
  classification?: { n: number; accuracy: Interval; macroF1: Interval };
  segmentation?: { n: number; meanDice: Interval };
}

export function compareModels(
  a: { name: string; cases: readonly CaseResult[] },
  b: { name: string; cases: readonly CaseResult[] },
  classCount: number,
  { zeroDivision, bootstrap }: { zeroDivision: ZeroDivision; bootstrap: BootstrapOptions },
): ModelComparison {
  const byStem = new Map(b.cases.map((c) => [c.stem, c]));
  const pairs = a.cases.flatMap((ca) => {
    const cb = byStem.get(ca.stem);
    return cb && !ca.error && !cb.error ? [[ca, cb] as const] : [];
  });
  const result: ModelComparison = { a: a.name, b: b.name };

  const labelled = pairs.filter(([ca, cb]) => ca.classIndex !== undefined && ca.predictedIndex !== undefined && cb.predictedIndex !== undefined);
  if (labelled.length) {
    const truth = labelled.map(([ca]) => ca.classIndex!);
    const predA = labelled.map(([ca]) => ca.predictedIndex!);
    const predB = labelled.map(([, cb]) => cb.predictedIndex!);
    // the classes averaged over are fixed from the full set, as in the single-model summary
    const seen = new Set([...truth, ...predA, ...predB]);
    const averaged = [...seen].sort((x, y) => x - y);
    const matrix = (pred: number[], idx: Uint32Array) => confusionMatrix(Array.from(idx, (i) => truth[i]), Array.from(idx, (i) => pred[i]), classCount);
    const accuracy = (pred: number[]) => (idx: Uint32Array) => accuracyFromConfusion(matrix(pred, idx));
    const macroF1 = (pred: number[]) => (idx: Uint32Array) => {
      const counts = countsFromConfusion(matrix(pred, idx));
      return averageScores(averaged.map((k) => counts[k]), 'macro', zeroDivision).f1;
    };
    result.classification = {
      n: labelled.length,
      accuracy: pairedDifferenceInterval(labelled.length, accuracy(predA), accuracy(predB), bootstrap),
      macroF1: pairedDifferenceInterval(labelled.length, macroF1(predA), macroF1(predB), bootstrap),
    };
  }

  const scored = pairs.filter(([ca, cb]) => typeof ca.dice === 'number' && typeof cb.dice === 'number');
  if (scored.length) {
    const diceA = scored.map(([ca]) => ca.dice as number);
    const diceB = scored.map(([, cb]) => cb.dice as number);
    const meanOf = (values: number[]) => (idx: Uint32Array) => idx.reduce((s, i) => s + values[i], 0) / idx.length;
    result.segmentation = { n: scored.length, meanDice: pairedDifferenceInterval(scored.length, meanOf(diceA), meanOf(diceB), bootstrap) };
  }
  return result;
}
