import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../rng.ts';
import { drawSegExperimentPairs, fitPixelHead, predictMask, runSegAugmentExperiment, samplePixels, seededPrefix, type SegmentationSample } from './segAugmentExperiment.ts';
import { dice } from '../metrics/dice.ts';

const SIZE = 16;

/** A disc of foreground whose segmenter logit is shifted by `bias` (a mis-calibrated segmenter) plus seeded noise. */
function toy(seed: number, bias: number): SegmentationSample {
  const uniform = mulberry32(seed);
  const cx = 6 + uniform() * 4;
  const mask = new Uint8Array(SIZE * SIZE);
  const logits = new Float32Array(SIZE * SIZE);
  const intensity = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x;
      const inside = (x - cx) ** 2 + (y - 8) ** 2 < 16;
      mask[i] = inside ? 1 : 0;
      logits[i] = (inside ? 2 : -2) + bias + (uniform() - 0.5) * 2;
      intensity[i] = uniform();
    }
  }
  return { width: SIZE, height: SIZE, logits, intensity, mask };
}

describe('the per-pixel head', () => {
  it('re-calibrates a biased segmenter on a toy problem (only the logit feature carries signal)', () => {
    const train = [toy(1, 3), toy(2, 3)];
    const rows = train.flatMap((s) => Array.from(samplePixels(SIZE * SIZE, 128, 5), (p) => ({ s, p })));
    const head = fitPixelHead(
      rows.map(({ s, p }) => Float64Array.from([s.logits[p], 0, s.intensity[p], 0, 0, 0])),
      rows.map(({ s, p }) => s.mask[p] > 0), 1);
    expect(head.model.weights[0]).toBeGreaterThan(0);
    const sample = toy(30, 3);
    const frozen = Uint8Array.from(sample.logits, (z) => (z > 0 ? 1 : 0));
    expect(dice(frozen, sample.mask)).toBeLessThan(0.6);
    expect(dice(predictMask(head, sample, 1), sample.mask)).toBeGreaterThan(0.9);
  });
});

describe('runSegAugmentExperiment', () => {
  const setup = {
    real: [1, 2, 3, 4].map((s) => toy(s, 3)), synthetic: [11, 12, 13, 14].map((s) => toy(s, 3)), test: [21, 22, 23].map((s) => toy(s, 3)),
    sizes: [2, 4], ratios: [0, 1], seed: 7, pixelsPerImage: 64, C: 1, bootstrapIterations: 50, blurRadius: 1,
  };
  const result = runSegAugmentExperiment(setup);
  it('beats the biased frozen segmenter and reports rows with CIs', () => {
    expect(result.rows.map((r) => [r.size, r.ratio, r.realCount, r.syntheticCount])).toEqual([[2, 0, 2, 0], [2, 1, 2, 2], [4, 0, 4, 0], [4, 1, 4, 4]]);
    expect(result.frozen.estimate).toBeLessThan(0.6);
    for (const row of result.rows) {
      expect(row.dice.estimate).toBeGreaterThan(0.9);
      expect(row.dice.low).toBeLessThanOrEqual(row.dice.estimate);
      expect(row.dice.high).toBeGreaterThanOrEqual(row.dice.estimate);
      expect(row.gain === null).toBe(row.ratio === 0);
    }
  });
  it('gives identical results for the same seed and different ones for another', () => {
    expect(runSegAugmentExperiment(setup)).toEqual(result);
    expect(samplePixels(256, 8, 1)).toEqual(samplePixels(256, 8, 1));
    expect(samplePixels(256, 8, 2)).not.toEqual(samplePixels(256, 8, 1));
  });
});

describe('seededPrefix', () => {
  it('draws nested prefixes of one seeded shuffle of the whole pool', () => {
    const pool = Array.from({ length: 30 }, (_, i) => `image${i}`);
    expect(seededPrefix(pool, 5, 1).slice(0, 3)).toEqual(seededPrefix(pool, 3, 1));
    expect(new Set(seededPrefix(pool, 30, 1))).toEqual(new Set(pool));
  });
});

describe('drawSegExperimentPairs', () => {
  const pools = { real: Array.from({ length: 20 }, (_, i) => `r${i}`), synthetic: Array.from({ length: 8 }, (_, i) => `s${i}`), test: ['t0', 't1', 't2'] };

  it('takes what the largest row can use from the seeded orders, and the first test pairs', () => {
    const draw = drawSegExperimentPairs(pools, { sizes: [4, 10], ratios: [0, 0.5], seed: 3, testLimit: 2 });
    expect(draw.real).toEqual(seededPrefix(pools.real, 10, 3));
    expect(draw.synthetic).toEqual(seededPrefix(pools.synthetic, 5, 4));
    expect(draw.test).toEqual(['t0', 't1']);
    expect(drawSegExperimentPairs(pools, { sizes: [4], ratios: [0], seed: 3 })).toEqual({ real: seededPrefix(pools.real, 4, 3), synthetic: [], test: pools.test });
  });

  it('caps a row at its pool', () => {
    expect(drawSegExperimentPairs(pools, { sizes: [10], ratios: [2], seed: 1 }).synthetic).toHaveLength(8);
  });
});
