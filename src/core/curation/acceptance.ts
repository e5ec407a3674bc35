/** One reviewed image, reduced to what acceptance statistics need. */
export interface AcceptanceRecord {
  /** The group: a prompt, a setting ("guidance 3"), a mask transform, ... */
  key: string;
  accepted: boolean;
  /** Realism 1-5, null when the reviewer left it out. */
  realism: number | null;
}

export interface AcceptanceRow {
  key: string;
  n: number;
  accepted: number;
  rate: number;
  /** Mean over the records that have a realism score; null when none has. */
  meanRealism: number | null;
}

/** Acceptance rate and mean realism per key, keys in sorted order. */
export function acceptanceBy(records: readonly AcceptanceRecord[]): AcceptanceRow[] {
  const groups = new Map<string, { n: number; accepted: number; realismSum: number; realismCount: number }>();
  for (const { key, accepted, realism } of records) {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { n: 0, accepted: 0, realismSum: 0, realismCount: 0 }));
    g.n++;
    if (accepted) g.accepted++;
    if (realism !== null) {
      g.realismSum += realism;
      g.realismCount++;
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => ({ key, n: g.n, accepted: g.accepted, rate: g.accepted / g.n, meanRealism: g.realismCount ? g.realismSum / g.realismCount : null }));
}
