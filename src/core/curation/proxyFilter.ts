import type { ProxyScore } from './proxyScore.ts';

/** Keep an image when each score it has reaches its threshold (>=). */
export interface ProxyThresholds {
  minFindingProbability: number;
  minMaskDice: number;
}

/**
 * A score that does not apply (no known finding in the prompt, no conditioning
 * mask) never rejects: such images are judged on what can be measured.
 */
export function proxyKeeps(score: ProxyScore, thresholds: ProxyThresholds): boolean {
  const probabilityOk = score.findingProbability === null || score.findingProbability >= thresholds.minFindingProbability;
  const diceOk = score.maskDice === null || score.maskDice >= thresholds.minMaskDice;
  return probabilityOk && diceOk;
}

export interface KeptCounts {
  group: string;
  kept: number;
  rejected: number;
}

/** Kept and rejected counts per group (e.g. per prompt), groups in first-seen order. */
export function countKept<T>(items: readonly T[], groupOf: (item: T) => string, keeps: (item: T) => boolean): KeptCounts[] {
  const byGroup = new Map<string, KeptCounts>();
  for (const item of items) {
    const group = groupOf(item);
    let counts = byGroup.get(group);
    if (!counts) byGroup.set(group, (counts = { group, kept: 0, rejected: 0 }));
    if (keeps(item)) counts.kept++;
    else counts.rejected++;
  }
  return [...byGroup.values()];
}
