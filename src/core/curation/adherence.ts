import type { ScoredImage } from './proxyScore.ts';

/**
 * Prompt and mask adherence of a synthetic set, per prompt and overall, as the model
 * card measures them (training/train/continue_gpu.py, eval): prompt adherence = the fraction of
 * images made for a finding that the classifier assigns to that finding (arg-max);
 * mask adherence = mean Dice between the conditioning mask and the segmenter's mask.
 * Images whose prompt names no known finding, or that had no mask, do not count for
 * the respective number (null when none does).
 */
export interface AdherenceRow {
  group: string;
  images: number;
  /** Images whose prompt names a finding. */
  withFinding: number;
  promptAdherence: number | null;
  meanFindingProbability: number | null;
  /** Images generated with a conditioning mask. */
  withMask: number;
  maskAdherence: number | null;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

function argmax(probabilities: Record<string, number>): string | undefined {
  let best: string | undefined;
  for (const [name, p] of Object.entries(probabilities)) if (best === undefined || p > probabilities[best]) best = name;
  return best;
}

function row(group: string, scores: readonly ScoredImage[]): AdherenceRow {
  const prompted = scores.filter((s) => s.findingClass !== null);
  const masked = scores.filter((s) => s.maskDice !== null);
  return {
    group,
    images: scores.length,
    withFinding: prompted.length,
    promptAdherence: mean(prompted.map((s) => (argmax(s.probabilities) === s.findingClass ? 1 : 0))),
    meanFindingProbability: mean(prompted.map((s) => s.findingProbability!)),
    withMask: masked.length,
    maskAdherence: mean(masked.map((s) => s.maskDice!)),
  };
}

/** One row per group (e.g. prompt) in first-seen order, then "all". */
export function adherenceByGroup<T>(items: readonly T[], groupOf: (item: T) => string, scoreOf: (item: T) => ScoredImage): AdherenceRow[] {
  const groups = new Map<string, ScoredImage[]>();
  for (const item of items) groups.set(groupOf(item), [...(groups.get(groupOf(item)) ?? []), scoreOf(item)]);
  return [...[...groups].map(([group, scores]) => row(group, scores)), row('all', items.map(scoreOf))];
}

/** "0.875 (8)": a share or mean, with the number of images it is over when given; "—" where no image counted. */
export function adherenceText(value: number | null, count?: number): string {
  if (value === null) return '—';
  return count === undefined ? value.toFixed(3) : `${value.toFixed(3)} (${count})`;
}
