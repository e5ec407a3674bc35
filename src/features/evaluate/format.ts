import type { Interval } from '../../core/metrics/bootstrap.ts';

/** Numbers as the page shows them (4 decimals; the JSON export keeps full precision). */
export const fixed = (v: number | null | undefined): string => (typeof v === 'number' && !Number.isNaN(v) ? v.toFixed(4) : '–');

export const interval = (ci: Interval | null | undefined): string => (ci && !Number.isNaN(ci.low) ? `[${fixed(ci.low)}, ${fixed(ci.high)}]` : '');

/** A stat card's second line: the 95% interval, or nothing when there is none. */
export const ciLine = (ci: Interval | null | undefined): string | undefined => (interval(ci) ? `95% CI ${interval(ci)}` : undefined);

export function eta(done: number, total: number, elapsedMs: number): string {
  if (done === 0) return '…';
  const seconds = Math.round(((total - done) * elapsedMs) / done / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}
