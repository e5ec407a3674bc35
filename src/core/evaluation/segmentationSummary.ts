import { bootstrapInterval, meanOver, type BootstrapOptions, type Interval } from '../metrics/bootstrap.ts';
import { mean, median } from '../metrics/quantile.ts';

/**
 * Dice and IoU over the images that have a usable mask. Images whose ground
 * truth is empty under the 'ignore-empty' rule arrive as null and are counted
 * in `skippedEmpty`, never averaged in.
 */
export interface SegmentationSummary {
  n: number;
  skippedEmpty: number;
  meanDice: number;
  medianDice: number;
  meanIou: number;
  ci: { meanDice: Interval; meanIou: Interval; meanHd95?: Interval };
  /** Over images with a finite HD95 (both masks non-empty), in pixels; only when asked for. */
  hd95?: { n: number; mean: number; median: number };
  /** 20 equal bins over [0, 1]; the last bin includes 1. */
  histogram: { edges: number[]; counts: number[] };
}

export function diceHistogram(values: readonly number[], bins = 20): { edges: number[]; counts: number[] } {
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v * bins))]++;
  return { edges, counts };
}

export function summarizeSegmentation(dice: Array<number | null>, iou: Array<number | null>, bootstrap: BootstrapOptions, hd95?: Array<number | null>): SegmentationSummary {
  const scored = dice.map((d, i) => ({ d, j: iou[i] })).filter((x): x is { d: number; j: number } => x.d !== null && x.j !== null);
  const d = scored.map((x) => x.d);
  const j = scored.map((x) => x.j);
  const distances = (hd95 ?? []).filter((h, i): h is number => typeof h === 'number' && Number.isFinite(h) && dice[i] !== null);
  const summary: SegmentationSummary = {
    n: scored.length,
    skippedEmpty: dice.length - scored.length,
    meanDice: mean(d),
    medianDice: median(d),
    meanIou: mean(j),
    ci: { meanDice: bootstrapInterval(d.length, meanOver(d), bootstrap), meanIou: bootstrapInterval(j.length, meanOver(j), bootstrap) },
    histogram: diceHistogram(d),
  };
  if (hd95) {
    summary.hd95 = { n: distances.length, mean: mean(distances), median: median(distances) };
    summary.ci.meanHd95 = bootstrapInterval(distances.length, meanOver(distances), bootstrap);
  }
  return summary;
}
