import { accuracyFromConfusion, confusionMatrix, countsFromConfusion, type ClassCounts } from './confusion.ts';

/**
 * Precision, recall and F1 with scikit-learn's (1.2) zero_division rule, stated:
 * precision is `zeroDivision` when nothing was predicted positive, recall is
 * `zeroDivision` when nothing is truly positive, and F1 = 2PR/(P+R) from those
 * two (0 when P+R = 0). So F1 equals `zeroDivision` only when a class has
 * neither true nor predicted samples; otherwise it is 2tp/(2tp+fp+fn).
 */
export type ZeroDivision = 0 | 1;

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassScores extends Scores {
  support: number;
}

export type Average = 'macro' | 'micro' | 'weighted';

export function scoresFromCounts({ truePositives, predicted, actual }: ClassCounts, zeroDivision: ZeroDivision): Scores {
  const precision = predicted === 0 ? zeroDivision : truePositives / predicted;
  const recall = actual === 0 ? zeroDivision : truePositives / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export function perClassScores(counts: readonly ClassCounts[], zeroDivision: ZeroDivision): ClassScores[] {
  return counts.map((c) => ({ ...scoresFromCounts(c, zeroDivision), support: c.actual }));
}

/**
 * macro: unweighted mean over classes; micro: scores of the pooled counts;
 * weighted: mean weighted by support (when no class has support, sklearn's
 * special case: all zeroDivision if nothing was predicted, else P=F1=0, R=zeroDivision).
 */
export function averageScores(counts: readonly ClassCounts[], average: Average, zeroDivision: ZeroDivision): Scores {
  if (average === 'micro') {
    const pooled = counts.reduce(
      (sum, c) => ({ truePositives: sum.truePositives + c.truePositives, predicted: sum.predicted + c.predicted, actual: sum.actual + c.actual }),
      { truePositives: 0, predicted: 0, actual: 0 },
    );
    return scoresFromCounts(pooled, zeroDivision);
  }
  const perClass = perClassScores(counts, zeroDivision);
  const weights = average === 'weighted' ? counts.map((c) => c.actual) : counts.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) {
    const nothingPredicted = counts.every((c) => c.predicted === 0);
    return nothingPredicted ? { precision: zeroDivision, recall: zeroDivision, f1: zeroDivision } : { precision: 0, recall: zeroDivision, f1: 0 };
  }
  const mean = (key: keyof Scores) => perClass.reduce((sum, s, k) => sum + s[key] * weights[k], 0) / total;
  return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
}

/** Binary scores of the positive class (label 1), as sklearn's average='binary'. */
export function binaryScores(truth: ArrayLike<number>, predicted: ArrayLike<number>, zeroDivision: ZeroDivision): Scores {
  const [, positive] = countsFromConfusion(confusionMatrix(truth, predicted, 2));
  return scoresFromCounts(positive, zeroDivision);
}

export interface MultiClassReport {
  confusion: number[][];
  accuracy: number;
  perClass: ClassScores[];
  macro: Scores;
  micro: Scores;
  weighted: Scores;
  zeroDivision: ZeroDivision;
}

export function multiClassReport(truth: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number, zeroDivision: ZeroDivision): MultiClassReport {
  const confusion = confusionMatrix(truth, predicted, classCount);
  const counts = countsFromConfusion(confusion);
  return {
    confusion,
    accuracy: accuracyFromConfusion(confusion),
    perClass: perClassScores(counts, zeroDivision),
    macro: averageScores(counts, 'macro', zeroDivision),
    micro: averageScores(counts, 'micro', zeroDivision),
    weighted: averageScores(counts, 'weighted', zeroDivision),
    zeroDivision,
  };
}
