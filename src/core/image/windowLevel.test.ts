import { describe, expect, it } from 'vitest';
import { applyWindow, fullRangeWindow, IDENTITY_WINDOW_8BIT, windowValue } from './windowLevel.ts';

describe('window/level (DICOM PS3.3 C.11.2.1.2.1)', () => {
  it('is the identity on 8-bit values for center 128, width 256', () => {
    for (const v of [0, 1, 64, 127, 128, 200, 255]) expect(windowValue(v, IDENTITY_WINDOW_8BIT)).toBeCloseTo(v, 9);
  });
  it('matches hand-computed values for a CT-style window (c=40, w=400)', () => {
    const w = { center: 40, width: 400 };
    expect(windowValue(-160.5, w)).toBe(0); // at or below c - 0.5 - (w-1)/2 = -160
    expect(windowValue(-160, w)).toBe(0);
    expect(windowValue(239.5, w)).toBe(255); // above c - 0.5 + (w-1)/2 = 239
    expect(windowValue(39.5, w)).toBeCloseTo(127.5, 9);
    expect(windowValue(100, w)).toBeCloseTo(((100 - 39.5) / 399 + 0.5) * 255, 9);
  });
  it('inverts for MONOCHROME1', () => {
    expect(Array.from(applyWindow(Float32Array.from([0, 255]), IDENTITY_WINDOW_8BIT, true))).toEqual([255, 0]);
  });
  it('full-range window maps min to 0 and max to 255', () => {
    const values = Float32Array.from([-1000, 0, 3000]);
    const out = applyWindow(values, fullRangeWindow(values));
    expect(out[0]).toBe(0);
    expect(out[2]).toBeCloseTo(255, 6);
  });
});
