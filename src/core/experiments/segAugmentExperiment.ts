import { bootstrapInterval, meanOver, pairedDifferenceInterval, type Interval } from '../metrics/bootstrap.ts';
import { dice } from '../metrics/dice.ts';
import { mulberry32 } from '../rng.ts';
import { seededPermutation } from './augmentExperiment.ts';
import { fitBinaryLogistic, logisticProbability, type BinaryLogistic } from './logisticRegression.ts';
import { featuresAt, pixelFeatureMaps, type SegmenterView } from './pixelFeatures.ts';
import { fitStandardizer, standardize, type Standardizer } from './standardize.ts';

/**
 * The segmentation counterpart of the augmentation experiment: a per-pixel
 * logistic head (pixelFeatures.ts) on a frozen segmenter, trained on pixels of
 * `size` real (image, mask) pairs plus `ratio · size` synthetic ones (the
 * synthetic image and its conditioning mask), scored by per-image Dice of the
 * head's mask (p ≥ 0.5) on a fixed real test set. Subsets are nested and shared
 * as in augmentExperiment.ts: `real` and `synthetic` come in drawing order
 * (`seededPrefix` of the whole pool, so only the images a row can use need the
 * segmenter, and the draw does not depend on the sizes asked for), row SIZE
 * takes the first SIZE of each, and each image's training pixels are drawn
 * from a seed fixed by its pool and position, so a larger set only adds pixels.
 */
export interface SegmentationSample extends SegmenterView {
  /** Ground truth (real) or conditioning mask (synthetic); > 0 is foreground. */
  mask: ArrayLike<number>;
}

export interface SegExperimentSetup {
  /** In drawing order, see seededPrefix. */
  real: readonly SegmentationSample[];
  /** In drawing order, see seededPrefix. */
  synthetic: readonly SegmentationSample[];
  test: readonly SegmentationSample[];
  sizes: readonly number[];
  ratios: readonly number[];
  seed: number;
  /** Pixels drawn per training image, uniformly with replacement (not class-balanced). */
  pixelsPerImage: number;
  C: number;
  bootstrapIterations: number;
  blurRadius?: number;
}

export interface SegExperimentRow {
  size: number;
  ratio: number;
  realCount: number;
  syntheticCount: number;
  /** Mean per-image test Dice. */
  dice: Interval;
  /** Dice minus Dice of the same real images alone (paired bootstrap); null for ratio 0. */
  gain: Interval | null;
}

export interface SegExperimentResult {
  /** The frozen segmenter alone: logit > 0. */
  frozen: Interval;
  rows: SegExperimentRow[];
}

export interface PixelHead {
  scaler: Standardizer;
  model: BinaryLogistic;
}

/** The first `count` items of the seeded shuffle of the whole pool: real with `seed`, synthetic with `seed + 1`. */
export function seededPrefix<T>(items: readonly T[], count: number, seed: number): T[] {
  return seededPermutation(items.length, seed).slice(0, count).map((i) => items[i]);
}

export interface SegExperimentPlan {
  sizes: readonly number[];
  ratios: readonly number[];
  seed: number;
  /** Keep the first N test pairs (in the pool's order); all when absent. */
  testLimit?: number;
}

/**
 * The pairs a plan's rows can use, in drawing order: the first max(size) of the seeded
 * real order, the first max(round(ratio · size)) of the synthetic one, and the test pool
 * (or its first `testLimit`). Only these need the segmenter.
 */
export function drawSegExperimentPairs<T>(pools: { real: readonly T[]; synthetic: readonly T[]; test: readonly T[] }, plan: SegExperimentPlan): { real: T[]; synthetic: T[]; test: T[] } {
  const { sizes, ratios, seed, testLimit } = plan;
  return {
    real: seededPrefix(pools.real, Math.max(...sizes), seed),
    synthetic: seededPrefix(pools.synthetic, Math.max(...sizes.flatMap((s) => ratios.map((r) => Math.round(r * s)))), seed + 1),
    test: testLimit === undefined ? [...pools.test] : pools.test.slice(0, testLimit),
  };
}

/** Seeds of the per-image pixel draws: real and synthetic pools apart, fixed by position in the pool's order. */
function pixelSeed(seed: number, pool: 0 | 1, position: number): number {
  return (seed * 1_000_003 + pool * 500_009 + position * 7_919) >>> 0;
}

export function samplePixels(pixelCount: number, count: number, seed: number): Uint32Array {
  const uniform = mulberry32(seed);
  return Uint32Array.from({ length: count }, () => Math.floor(uniform() * pixelCount));
}

function trainingRows(sample: SegmentationSample, count: number, seed: number, blurRadius: number): { rows: Float64Array[]; positive: boolean[] } {
  const maps = pixelFeatureMaps(sample, blurRadius);
  const pixels = samplePixels(sample.width * sample.height, count, seed);
  return { rows: Array.from(pixels, (p) => featuresAt(maps, p).slice()), positive: Array.from(pixels, (p) => sample.mask[p] > 0) };
}

export function fitPixelHead(rows: readonly Float64Array[], positive: readonly boolean[], C: number): PixelHead {
  const scaler = fitStandardizer(rows);
  return { scaler, model: fitBinaryLogistic(rows.map((row) => standardize(scaler, row)), positive, { C }) };
}

export function predictMask(head: PixelHead, view: SegmenterView, blurRadius = 4): Uint8Array {
  const maps = pixelFeatureMaps(view, blurRadius);
  return Uint8Array.from({ length: view.width * view.height }, (_, p) => (logisticProbability(head.model, standardize(head.scaler, featuresAt(maps, p))) >= 0.5 ? 1 : 0));
}

export function runSegAugmentExperiment(setup: SegExperimentSetup, onProgress?: (p: { done: number; total: number }) => void): SegExperimentResult {
  const { real, synthetic, test, sizes, ratios, seed, pixelsPerImage, C, bootstrapIterations, blurRadius = 4 } = setup;
  const options = { iterations: bootstrapIterations, seed };
  const realRows = real.map((sample, position) => trainingRows(sample, pixelsPerImage, pixelSeed(seed, 0, position), blurRadius));
  const syntheticRows = synthetic.map((sample, position) => trainingRows(sample, pixelsPerImage, pixelSeed(seed, 1, position), blurRadius));
  const frozenDice = test.map((sample) => dice(Uint8Array.from(sample.logits, (z) => (z > 0 ? 1 : 0)), sample.mask));
  const rows: SegExperimentRow[] = [];
  const total = sizes.length * ratios.length;
  for (const size of sizes) {
    const realPart = realRows.slice(0, Math.min(size, realRows.length));
    let baseline: number[] | undefined;
    for (const ratio of ratios) {
      const syntheticPart = syntheticRows.slice(0, Math.min(Math.round(ratio * size), syntheticRows.length));
      const parts = [...realPart, ...syntheticPart];
      const head = fitPixelHead(parts.flatMap((p) => p.rows), parts.flatMap((p) => p.positive), C);
      const perImage = test.map((sample) => dice(predictMask(head, sample, blurRadius), sample.mask));
      if (ratio === 0) baseline = perImage;
      rows.push({
        size, ratio, realCount: realPart.length, syntheticCount: syntheticPart.length,
        dice: bootstrapInterval(test.length, meanOver(perImage), options),
        gain: ratio === 0 || !baseline ? null : pairedDifferenceInterval(test.length, meanOver(perImage), meanOver(baseline), options),
      });
      onProgress?.({ done: rows.length, total });
    }
  }
  return { frozen: bootstrapInterval(test.length, meanOver(frozenDice), options), rows };
}
