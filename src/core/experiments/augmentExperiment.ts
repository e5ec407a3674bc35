import { bootstrapInterval, pairedDifferenceInterval, type Interval } from '../metrics/bootstrap.ts';
import { countsFromConfusion, confusionMatrix } from '../metrics/confusion.ts';
import { averageScores, binaryScores } from '../metrics/precisionRecallF1.ts';
import { mulberry32 } from '../rng.ts';
import { fitLogisticClassifier, predictProbabilities } from './logisticRegression.ts';
import { fitStandardizer, standardize } from './standardize.ts';

/**
 * The augmentation experiment: a logistic-regression head on the classifier's
 * frozen `features`, trained on `size` real images plus `ratio · size`
 * synthetic ones, scored by F1 on a fixed real test set with a seeded bootstrap
 * CI, and the paired difference to the same real images without synthetic ones.
 * Subsets are nested and shared: one seeded shuffle of the real pool gives the
 * first `size` images for every ratio, one of the synthetic pool the first
 * `ratio · size`, so rows differ only in what they vary.
 */
export interface LabelledFeatures {
  features: readonly ArrayLike<number>[];
  /** Class indices 0..classCount-1. */
  labels: readonly number[];
}

export interface ExperimentSetup {
  real: LabelledFeatures;
  synthetic: LabelledFeatures;
  test: LabelledFeatures;
  classCount: number;
  sizes: readonly number[];
  ratios: readonly number[];
  seed: number;
  /** sklearn's C for the L2 penalty. */
  C: number;
  bootstrapIterations: number;
}

export interface ExperimentRow {
  size: number;
  ratio: number;
  realCount: number;
  syntheticCount: number;
  /** Binary: F1 of class 1; more classes: macro F1. */
  f1: Interval;
  /** F1 minus F1 of the same real images without synthetic ones (paired bootstrap); null for ratio 0. */
  gain: Interval | null;
}

export type ExperimentProgress = { done: number; total: number };

/** Fisher-Yates with mulberry32: j = floor(u · (i + 1)) for i = n-1 .. 1. */
export function seededPermutation(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const uniform = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export function f1Of(truth: readonly number[], predicted: readonly number[], classCount: number): number {
  if (classCount === 2) return binaryScores(truth, predicted, 0).f1;
  return averageScores(countsFromConfusion(confusionMatrix(truth, predicted, classCount)), 'macro', 0).f1;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function trainAndPredict(train: LabelledFeatures, test: LabelledFeatures, classCount: number, C: number): number[] {
  const scaler = fitStandardizer(train.features);
  const model = fitLogisticClassifier(train.features.map((row) => standardize(scaler, row)), train.labels, classCount, { C });
  return test.features.map((row) => argmax(predictProbabilities(model, standardize(scaler, row))));
}

function pick(set: LabelledFeatures, indices: readonly number[]): LabelledFeatures {
  return { features: indices.map((i) => set.features[i]), labels: indices.map((i) => set.labels[i]) };
}

export function runAugmentExperiment(setup: ExperimentSetup, onProgress?: (p: ExperimentProgress) => void, shouldStop?: () => boolean): ExperimentRow[] {
  const { real, synthetic, test, classCount, sizes, ratios, seed, C, bootstrapIterations } = setup;
  const realOrder = seededPermutation(real.labels.length, seed);
  const syntheticOrder = seededPermutation(synthetic.labels.length, seed + 1);
  const truth = [...test.labels];
  const f1On = (predicted: number[]) => (indices: Uint32Array) => f1Of(Array.from(indices, (i) => truth[i]), Array.from(indices, (i) => predicted[i]), classCount);
  const rows: ExperimentRow[] = [];
  const total = sizes.length * ratios.length;
  for (const size of sizes) {
    const realPart = pick(real, realOrder.slice(0, Math.min(size, realOrder.length)));
    let baseline: number[] | undefined;
    for (const ratio of ratios) {
      if (shouldStop?.()) return rows;
      const syntheticPart = pick(synthetic, syntheticOrder.slice(0, Math.min(Math.round(ratio * size), syntheticOrder.length)));
      const train = { features: [...realPart.features, ...syntheticPart.features], labels: [...realPart.labels, ...syntheticPart.labels] };
      const predicted = trainAndPredict(train, test, classCount, C);
      if (ratio === 0) baseline = predicted;
      const options = { iterations: bootstrapIterations, seed };
      rows.push({
        size, ratio, realCount: realPart.labels.length, syntheticCount: syntheticPart.labels.length,
        f1: bootstrapInterval(truth.length, f1On(predicted), options),
        gain: ratio === 0 || !baseline ? null : pairedDifferenceInterval(truth.length, f1On(predicted), f1On(baseline), options),
      });
      onProgress?.({ done: rows.length, total });
    }
  }
  return rows;
}
