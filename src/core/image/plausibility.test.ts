import { describe, expect, it } from 'vitest';
import { checkPlausibleRadiograph } from './plausibility.ts';

describe('checkPlausibleRadiograph', () => {
  it('accepts radiograph shapes down to 64 px and up to 3:1', () => {
    for (const [width, height] of [[64, 64], [2048, 2500], [192, 64]]) expect(() => checkPlausibleRadiograph({ width, height })).not.toThrow();
  });

  it('refuses a 1x1 image, a side under 64 px and a strip, saying what it received', () => {
    expect(() => checkPlausibleRadiograph({ width: 1, height: 1 })).toThrow('image is 1x1; a radiograph needs at least 64 px a side');
    expect(() => checkPlausibleRadiograph({ width: 4096, height: 8 })).toThrow('4096x8');
    expect(() => checkPlausibleRadiograph({ width: 1024, height: 128 })).toThrow('aspect ratio 8.0:1');
  });
});
