import { describe, expect, it } from 'vitest';
import { elasticField } from './elastic.ts';

function std(values: Float32Array): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

describe('elasticField', () => {
  it('gives the same field for the same seed, bit for bit, and another for another seed', () => {
    const a = elasticField(128, { strength: 4, smoothness: 16, seed: 42 });
    const b = elasticField(128, { strength: 4, smoothness: 16, seed: 42 });
    const c = elasticField(128, { strength: 4, smoothness: 16, seed: 43 });
    expect(a.dx).toEqual(b.dx);
    expect(a.dy).toEqual(b.dy);
    expect(a.dx).not.toEqual(c.dx);
  });
  it('has a standard deviation near the strength, scaling linearly with it', () => {
    const f = elasticField(256, { strength: 4, smoothness: 16, seed: 7 });
    expect(std(f.dx)).toBeGreaterThan(2.8);
    expect(std(f.dx)).toBeLessThan(5.2);
    const g = elasticField(256, { strength: 8, smoothness: 16, seed: 7 });
    for (let i = 0; i < f.dx.length; i += 997) expect(g.dx[i]).toBeCloseTo(2 * f.dx[i], 4);
  });
  it('is smooth: neighbouring pixels differ far less than the field varies, more so with larger smoothness', () => {
    const roughness = (smoothness: number) => {
      const f = elasticField(256, { strength: 4, smoothness, seed: 5 });
      let step = 0;
      for (let y = 0; y < 256; y++) for (let x = 1; x < 256; x++) step += Math.abs(f.dx[y * 256 + x] - f.dx[y * 256 + x - 1]);
      return step / (256 * 255) / std(f.dx);
    };
    expect(roughness(16)).toBeLessThan(0.1);
    expect(roughness(64)).toBeLessThan(roughness(16));
  });
  it('refuses a smoothness under one pixel', () => {
    expect(() => elasticField(16, { strength: 1, smoothness: 0, seed: 1 })).toThrow(/smoothness/);
  });
});
