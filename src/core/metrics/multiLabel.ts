import type { ClassCounts } from './confusion.ts';
import { averageScores, perClassScores, scoresFromCounts, type ClassScores, type Scores, type ZeroDivision } from './precisionRecallF1.ts';

/**
 * Multi-label scores from 0/1 indicator rows (one row per sample, one column
 * per label), as scikit-learn's precision_recall_fscore_support on indicator
 * matrices; zero_division as in precisionRecallF1.ts. `samples` averages the
 * per-sample scores, so a sample with no true and no predicted labels scores
 * zeroDivision.
 */
export interface MultiLabelReport {
  perLabel: ClassScores[];
  macro: Scores;
  micro: Scores;
  weighted: Scores;
  samples: Scores;
  zeroDivision: ZeroDivision;
}

function countsOf(truth: readonly (readonly number[])[], predicted: readonly (readonly number[])[], axis: 'label' | 'sample'): ClassCounts[] {
  const labels = truth[0]?.length ?? 0;
  const groups = axis === 'label' ? labels : truth.length;
  const counts = Array.from({ length: groups }, () => ({ truePositives: 0, predicted: 0, actual: 0 }));
  truth.forEach((row, i) => {
    if (row.length !== labels || predicted[i].length !== labels) {
      throw new RangeError(`multiLabel: sample ${i} has ${row.length} true and ${predicted[i].length} predicted labels, expected ${labels}`);
    }
    for (let k = 0; k < labels; k++) {
      const c = counts[axis === 'label' ? k : i];
      const t = row[k] > 0;
      const p = predicted[i][k] > 0;
      if (t) c.actual++;
      if (p) c.predicted++;
      if (t && p) c.truePositives++;
    }
  });
  return counts;
}

export function multiLabelReport(truth: readonly (readonly number[])[], predicted: readonly (readonly number[])[], zeroDivision: ZeroDivision): MultiLabelReport {
  if (truth.length !== predicted.length) throw new RangeError(`multiLabel: ${truth.length} true rows but ${predicted.length} predicted rows`);
  const byLabel = countsOf(truth, predicted, 'label');
  const bySample = countsOf(truth, predicted, 'sample').map((c) => scoresFromCounts(c, zeroDivision));
  const meanOf = (key: keyof Scores) => bySample.reduce((sum, s) => sum + s[key], 0) / bySample.length;
  return {
    perLabel: perClassScores(byLabel, zeroDivision),
    macro: averageScores(byLabel, 'macro', zeroDivision),
    micro: averageScores(byLabel, 'micro', zeroDivision),
    weighted: averageScores(byLabel, 'weighted', zeroDivision),
    samples: { precision: meanOf('precision'), recall: meanOf('recall'), f1: meanOf('f1') },
    zeroDivision,
  };
}
