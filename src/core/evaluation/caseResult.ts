import type { EvaluationItem } from './evaluationSet.ts';

/**
 * One image's outcome in an evaluation: what the page streams, the CLI prints and the CSV export holds.
 * The item's fields say what was scored (with multi-label truth, the prediction is every class with p >= threshold).
 */
export interface CaseResult extends EvaluationItem {
  width?: number;
  height?: number;
  /** Original size when the image was downscaled on arrival. */
  downscaledFrom?: [number, number];
  probabilities?: number[];
  predictedIndex?: number;
  /** null when the ground truth is empty and the rule is 'ignore-empty'. */
  dice?: number | null;
  iou?: number | null;
  /** 95th-percentile Hausdorff distance in pixels of the scored frame (NaN when either mask is empty); only when asked for. */
  hd95?: number;
  truthPixels?: number;
  /** Dataset-shift score of the classifier's features (datasetShift.ts), when the bundle ships the reference. */
  shift?: number;
  predictedPixels?: number;
  ms: number;
  /** What decoding did that changes the numbers: a 12-bit window, bits masked to BitsStored, a picture read from alpha. */
  notes?: string[];
  /** The ground-truth mask was used but probably not what its author meant (inverted, nearly empty, in alpha). */
  maskWarnings?: string[];
  /** Why the image (or its mask) could not be used; the run goes on. */
  error?: { code: string; detail: string };
  maskError?: { code: string; detail: string };
}
