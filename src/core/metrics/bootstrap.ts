import { mulberry32 } from '../rng.ts';
import { percentile } from './quantile.ts';

/**
 * Seeded percentile bootstrap. Each resample draws n indices with replacement
 * from mulberry32(seed) (index = floor(u * n)), so the same seed gives the same
 * interval in every browser, in Node and in the Python reference. A statistic
 * that is undefined on a resample (NaN, e.g. an AUC with one class) is left
 * out, and `dropped` says how often.
 */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  level: number;
  iterations: number;
  dropped: number;
}

export interface BootstrapOptions {
  iterations?: number;
  seed?: number;
  /** Coverage, 0.95 for a 95% interval. */
  level?: number;
}

export type Statistic = (indices: Uint32Array) => number;

export function* resampleIndices(n: number, iterations: number, seed: number): Generator<Uint32Array> {
  const uniform = mulberry32(seed);
  for (let b = 0; b < iterations; b++) {
    const indices = new Uint32Array(n);
    for (let i = 0; i < n; i++) indices[i] = Math.floor(uniform() * n);
    yield indices;
  }
}

function identity(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

function interval(estimate: number, samples: number[], level: number, iterations: number): Interval {
  const defined = samples.filter((s) => !Number.isNaN(s));
  const tail = ((1 - level) / 2) * 100;
  return { estimate, low: percentile(defined, tail), high: percentile(defined, 100 - tail), level, iterations, dropped: samples.length - defined.length };
}

export function bootstrapInterval(n: number, statistic: Statistic, { iterations = 1000, seed = 0, level = 0.95 }: BootstrapOptions = {}): Interval {
  if (n === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, level, iterations, dropped: 0 };
  const samples: number[] = [];
  for (const indices of resampleIndices(n, iterations, seed)) samples.push(statistic(indices));
  return interval(statistic(identity(n)), samples, level, iterations);
}

/**
 * Paired difference A - B of two statistics on the same cases (two models on
 * one test set): both are computed on the same resample each time, so the
 * interval reflects the case-by-case pairing.
 */
export function pairedDifferenceInterval(n: number, statisticA: Statistic, statisticB: Statistic, options: BootstrapOptions = {}): Interval {
  return bootstrapInterval(n, (indices) => statisticA(indices) - statisticB(indices), options);
}

/** Mean of `values` over the resampled indices: the statistic for per-image scores such as Dice. */
export function meanOver(values: ArrayLike<number>): Statistic {
  return (indices) => {
    let sum = 0;
    for (const i of indices) sum += values[i];
    return sum / indices.length;
  };
}

/** Whether an interval has bounds: it has none without resamples (`iterations` 0) or cases. */
export function hasBounds(i: Pick<Interval, 'low' | 'high'>): boolean {
  return !Number.isNaN(i.low) && !Number.isNaN(i.high);
}

/** " [0.900, 0.925]", or nothing for an interval without bounds (never "[NaN, NaN]"). */
export function boundsText(i: Pick<Interval, 'low' | 'high'>, digits: number): string {
  return hasBounds(i) ? ` [${i.low.toFixed(digits)}, ${i.high.toFixed(digits)}]` : '';
}

/** "0.912 [0.900, 0.925]": an estimate with its interval, as tables and the CLIs print it. */
export function formatInterval(i: Pick<Interval, 'estimate' | 'low' | 'high'>, digits = 3): string {
  return `${i.estimate.toFixed(digits)}${boundsText(i, digits)}`;
}
