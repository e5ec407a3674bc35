import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32, randomSeed, standardNormal } from './rng';
import { SHARED } from '../../cli/testing/shared.ts';

const GOLDEN_NOISE = join(SHARED, 'models/reference-v0/golden/noise.f32');

describe('mulberry32', () => {
  it('keeps its sequence for seed 0 (saved seeds must keep meaning the same image) and stays in [0, 1)', () => {
    const next = mulberry32(0);
    const first = [next(), next(), next()];
    expect(first.map((u) => Math.round(u * 4294967296))).toEqual([1144304738, 1416247, 958946056]);
    for (let i = 0; i < 10_000; i++) {
      const u = next();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});

describe('standardNormal', () => {
  it('is the same for the same seed and different for another', () => {
    expect(standardNormal(7, 1000)).toEqual(standardNormal(7, 1000));
    expect(standardNormal(7, 16)).not.toEqual(standardNormal(8, 16));
  });

  it('has mean ~0 and variance ~1 over 100k draws', () => {
    const x = standardNormal(42, 100_000);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('handles odd counts and rejects bad seeds', () => {
    expect(standardNormal(3, 5)).toHaveLength(5);
    expect(Array.from(standardNormal(3, 5))).toEqual(Array.from(standardNormal(3, 6).subarray(0, 5)));
    expect(() => standardNormal(-1, 4)).toThrow(RangeError);
    expect(() => standardNormal(1.5, 4)).toThrow(RangeError);
    const seed = randomSeed();
    expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
  });

  it.skipIf(!existsSync(GOLDEN_NOISE))('reproduces reference-v0 golden noise (seed 1234) bit for bit', () => {
    const bytes = readFileSync(GOLDEN_NOISE);
    const golden = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(standardNormal(1234, golden.length)).toEqual(golden);
  });
});
