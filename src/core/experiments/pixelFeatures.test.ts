import { describe, expect, it } from 'vitest';
import { boxMean, featuresAt, PIXEL_FEATURE_COUNT, pixelFeatureMaps } from './pixelFeatures.ts';

describe('boxMean', () => {
  it('averages the window clipped to the image', () => {
    // 3×2 image: 1 2 3 / 4 5 6
    const out = boxMean([1, 2, 3, 4, 5, 6], 3, 2, 1);
    expect(Array.from(out)).toEqual([3, 3.5, 4, 3, 3.5, 4]);
    expect(Array.from(boxMean([1, 2, 3, 4, 5, 6], 3, 2, 0))).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('rejects a size that does not match', () => {
    expect(() => boxMean([1, 2, 3], 2, 2, 1)).toThrow(/3 values for 2×2/);
  });
});

describe('pixelFeatureMaps', () => {
  it('gives logit, blurred logit, intensity, x, y, |x - 0.5| per pixel', () => {
    const maps = pixelFeatureMaps({ width: 2, height: 2, logits: [-2, 2, 4, 0], intensity: [0, 0.5, 1, 0.25] }, 1);
    expect(maps.length).toBe(4 * PIXEL_FEATURE_COUNT);
    expect(Array.from(featuresAt(maps, 0))).toEqual([-2, 1, 0, 0.25, 0.25, 0.25]);
    expect(Array.from(featuresAt(maps, 3))).toEqual([0, 1, 0.25, 0.75, 0.75, 0.25]);
  });
});
