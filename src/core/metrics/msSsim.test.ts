import { describe, expect, it } from 'vitest';
import golden from '../curation/fixtures/curation_golden.json';
import { mulberry32 } from '../rng.ts';
import { meanPairwiseMsSsim, msSsim, type Plane } from './msSsim.ts';

/** The test image of training/golden/golden_curation.py: a smooth wave plus mulberry32 noise. */
function testImage({ seed, height, width, wave }: { seed: number; height: number; width: number; wave: number }): Plane {
  const u = mulberry32(seed);
  const noise = Float64Array.from({ length: height * width }, () => u());
  const data = new Float64Array(height * width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const v = 0.5 + 0.3 * Math.sin(x / wave) * Math.cos(y / (wave * 1.3)) + 0.25 * (noise[y * width + x] - 0.5);
    data[y * width + x] = Math.min(1, Math.max(0, v));
  }
  return { data, width, height };
}

describe('msSsim (golden: numpy transcription of pytorch_msssim.ms_ssim)', () => {
  it.each(golden.ms_ssim.map((g) => [g.name, g] as const))('%s', (_, g) => {
    expect(Math.abs(msSsim(testImage(g.a), testImage(g.b)) - g.ms_ssim)).toBeLessThan(1e-12);
  });
  it('refuses images too small for five scales', () => {
    const small = { data: new Float64Array(160 * 160), width: 160, height: 160 };
    expect(() => msSsim(small, small)).toThrow('must exceed 160 pixels');
  });
  it('averages over pairs: three copies of one image give 1', () => {
    const image = testImage(golden.ms_ssim[0].a);
    expect(meanPairwiseMsSsim([image, image, image])).toBeCloseTo(1, 12);
  });
});
