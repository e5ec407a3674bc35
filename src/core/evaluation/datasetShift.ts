import { StudioError } from '../errors.ts';
import { median } from '../metrics/quantile.ts';

/**
 * Does a test set look like the data the classifier was trained on? A score on
 * the classifier's `features` output against statistics of the training
 * sources' features, shipped in the bundle as `shift.json` (manifest `shift`,
 * docs/manifest.md; made by training/export/shift_reference.py):
 *
 *   score = squared Mahalanobis distance from the training mean under a
 *           Ledoit-Wolf shrunk covariance, kept to its top k principal
 *           directions plus one mean variance for the rest, divided by the
 *           dimension (about 1 for a typical training image);
 *   an image is flagged when its score is above `threshold`, the score that
 *   `false_alarm` (5%) of held-in validation images exceed.
 *
 * A set is flagged when more of its images are flagged than that false-alarm
 * rate plausibly explains (above the rate plus three binomial standard errors).
 */
export const SHIFT_FORMAT = 'cxr-studio-shift/1';

export interface ShiftReference {
  format: typeof SHIFT_FORMAT;
  method: 'mahalanobis-ppca';
  /** Name of the classifier output the statistics were fitted on. */
  features: string;
  dim: number;
  k: number;
  mean: number[];
  /** k rows of dim numbers: the kept principal directions. */
  components: number[];
  variances: number[];
  residual_variance: number;
  threshold: number;
  false_alarm: number;
  fitted_on: { sources: string[]; split: string; n: number };
  calibrated_on: { sources: string[]; split: string; n: number };
  /** Share flagged per held-in test split and per source never trained on, as measured when the file was made. */
  measured?: Record<string, { n: number; flagged: number; median_score: number }>;
}

export interface SetShift {
  /** Images with a score (those the classifier read). */
  n: number;
  flagged: number;
  share: number;
  medianScore: number;
  threshold: number;
  falseAlarm: number;
  /** The share of flagged images above which the set is called unlike the training sources. */
  setLimit: number;
  warning: boolean;
  trainedOn: string[];
}

const finiteArray = (value: unknown, length: number) => Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/** Check a parsed shift.json; a bad file names what is wrong. */
export function validateShiftReference(value: unknown, file = 'shift.json'): ShiftReference {
  const ref = value as Partial<ShiftReference> | null;
  const problems: string[] = [];
  if (!ref || typeof ref !== 'object') throw new StudioError('manifest-invalid', `${file}: expected a JSON object`);
  if (ref.format !== SHIFT_FORMAT) problems.push(`format: expected "${SHIFT_FORMAT}", received ${JSON.stringify(ref.format)}`);
  if (ref.method !== 'mahalanobis-ppca') problems.push(`method: expected "mahalanobis-ppca", received ${JSON.stringify(ref.method)}`);
  const { dim = 0, k = 0 } = ref;
  if (!Number.isInteger(dim) || dim < 1) problems.push(`dim: expected a positive integer, received ${JSON.stringify(ref.dim)}`);
  if (!Number.isInteger(k) || k < 0 || k >= dim) problems.push(`k: expected an integer in [0, dim), received ${JSON.stringify(ref.k)}`);
  if (!finiteArray(ref.mean, dim)) problems.push(`mean: expected ${dim} numbers`);
  if (!finiteArray(ref.components, k * dim)) problems.push(`components: expected ${k} x ${dim} numbers`);
  if (!finiteArray(ref.variances, k) || ref.variances!.some((v) => v <= 0)) problems.push(`variances: expected ${k} positive numbers`);
  if (!(typeof ref.residual_variance === 'number' && ref.residual_variance > 0)) problems.push('residual_variance: expected a positive number');
  if (!(typeof ref.threshold === 'number' && ref.threshold > 0)) problems.push('threshold: expected a positive number');
  if (!(typeof ref.false_alarm === 'number' && ref.false_alarm > 0 && ref.false_alarm < 1)) problems.push('false_alarm: expected a number in (0, 1)');
  if (typeof ref.features !== 'string') problems.push('features: expected the name of a classifier output');
  if (problems.length) throw new StudioError('manifest-invalid', `${file}: ${problems.join('; ')}`);
  return ref as ShiftReference;
}

/** The shift score of one image's feature vector (see above). */
export function shiftScore(ref: ShiftReference, features: ArrayLike<number>): number {
  const { dim, k, mean, components, variances, residual_variance: residualVariance } = ref;
  if (features.length !== dim) throw new StudioError('model-io-mismatch', `dataset shift: expected ${dim} features, received ${features.length}`);
  const centred = Float64Array.from({ length: dim }, (_, i) => features[i] - mean[i]);
  let kept = 0;
  let projectedSq = 0;
  for (let j = 0; j < k; j++) {
    let proj = 0;
    for (let i = 0; i < dim; i++) proj += components[j * dim + i] * centred[i];
    kept += (proj * proj) / variances[j];
    projectedSq += proj * proj;
  }
  let total = 0;
  for (let i = 0; i < dim; i++) total += centred[i] * centred[i];
  // the directions are orthonormal, so the residual's squared length is the rest of the total
  const residualSq = Math.max(0, total - projectedSq);
  return (kept + residualSq / residualVariance) / dim;
}

export function isFlagged(ref: Pick<ShiftReference, 'threshold'>, score: number): boolean {
  return score > ref.threshold;
}

/** The set's verdict from its images' scores. */
export function setShift(ref: ShiftReference, scores: readonly number[]): SetShift {
  const n = scores.length;
  const flagged = scores.filter((s) => isFlagged(ref, s)).length;
  const p = ref.false_alarm;
  const setLimit = n ? Math.min(1, p + 3 * Math.sqrt((p * (1 - p)) / n)) : 1;
  return { n, flagged, share: n ? flagged / n : 0, medianScore: n ? median(scores) : Number.NaN, threshold: ref.threshold, falseAlarm: p, setLimit, warning: n > 0 && flagged / n > setLimit, trainedOn: ref.fitted_on.sources };
}
