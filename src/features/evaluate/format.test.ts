import { describe, expect, it } from 'vitest';
import { ciLine, eta, fixed, interval } from './format.ts';

describe('numbers as the Evaluate page shows them', () => {
  it('gives 4 decimals, and a dash for a missing or NaN value', () => {
    expect(fixed(0.78167)).toBe('0.7817');
    expect(fixed(null)).toBe('–');
    expect(fixed(Number.NaN)).toBe('–');
  });

  it("writes a stat card's interval line only when there is an interval", () => {
    const ci = { estimate: 0.7817, low: 0.60524, high: 0.90761, level: 0.95, iterations: 1000, dropped: 0 };
    expect(interval(ci)).toBe('[0.6052, 0.9076]');
    expect(ciLine(ci)).toBe('95% CI [0.6052, 0.9076]');
    expect(ciLine(undefined)).toBeUndefined();
    expect(ciLine({ ...ci, low: Number.NaN })).toBeUndefined();
  });

  it('estimates the time left from the pace so far', () => {
    expect(eta(0, 34, 0)).toBe('…');
    expect(eta(10, 34, 5000)).toBe('12 s');
    expect(eta(10, 400, 20_000)).toBe('13 min 0 s');
  });
});
