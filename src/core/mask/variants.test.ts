import { describe, expect, it } from 'vitest';
import { DEFAULT_VARIANT_RANGES, randomVariants } from './variants.ts';

describe('randomVariants', () => {
  it('draws N variants inside the ranges, the same for the same seed', () => {
    const a = randomVariants(DEFAULT_VARIANT_RANGES, 20, 123);
    expect(a).toHaveLength(20);
    expect(randomVariants(DEFAULT_VARIANT_RANGES, 20, 123)).toEqual(a);
    expect(randomVariants(DEFAULT_VARIANT_RANGES, 20, 124)).not.toEqual(a);
    for (const v of a) {
      expect(v.rotateDeg).toBeGreaterThanOrEqual(-10);
      expect(v.rotateDeg).toBeLessThanOrEqual(10);
      expect(v.scaleX).toBeGreaterThanOrEqual(0.9);
      expect(v.scaleY).toBeLessThanOrEqual(1.1);
      expect(v.flipX).toBe(false);
      if (v.elastic) expect(v.elastic.strength).toBeLessThanOrEqual(4);
    }
    expect(new Set(a.map((v) => v.rotateDeg)).size).toBe(20);
  });
  it('pins a parameter whose range is a single value, and flips by chance', () => {
    const v = randomVariants({ ...DEFAULT_VARIANT_RANGES, rotateDeg: [12, 12], flipXChance: 1, elasticStrength: [0, 0] }, 3, 1);
    expect(v.map((x) => x.rotateDeg)).toEqual([12, 12, 12]);
    expect(v.every((x) => x.flipX && x.elastic === null)).toBe(true);
  });
  it('refuses an inverted range or a non-positive scale', () => {
    expect(() => randomVariants({ ...DEFAULT_VARIANT_RANGES, rotateDeg: [5, -5] }, 1, 1)).toThrow(/rotateDeg/);
    expect(() => randomVariants({ ...DEFAULT_VARIANT_RANGES, scaleX: [0, 1] }, 1, 1)).toThrow(/scale/);
  });
});
