import { describe, expect, it } from 'vitest';
import { dice } from '../metrics/dice.ts';
import { IDENTITY_TRANSFORM, isIdentityTransform, transformMask, type MaskTransform } from './transform.ts';
import { count, ellipseMask, lungsMask } from './testShapes.ts';

const side = 256;
const lungs = lungsMask(side);
const t = (patch: Partial<MaskTransform>): MaskTransform => ({ ...IDENTITY_TRANSFORM, ...patch });

describe('transformMask', () => {
  it('is exact for identity transforms, in both samplings, and stays 0/1', () => {
    for (const sampling of ['nearest', 'linear'] as const) {
      expect(transformMask(lungs, side, IDENTITY_TRANSFORM, sampling)).toEqual(lungs);
      expect(transformMask(lungs, side, t({ rotateDeg: 360 }), sampling)).toEqual(lungs);
      expect(transformMask(lungs, side, t({ elastic: { strength: 0, smoothness: 32, seed: 1 } }), sampling)).toEqual(lungs);
    }
    const out = transformMask(lungs, side, t({ rotateDeg: 17, scaleX: 1.3, shearY: 0.1, elastic: { strength: 5, smoothness: 24, seed: 9 } }));
    expect(out.every((v) => v === 0 || v === 1)).toBe(true);
  });
  it('knows an identity transform when it sees one', () => {
    expect(isIdentityTransform({ ...IDENTITY_TRANSFORM })).toBe(true);
    expect(isIdentityTransform(t({ shearY: 0.01 }))).toBe(false);
    expect(isIdentityTransform(t({ elastic: { strength: 0, smoothness: 32, seed: 1 } }))).toBe(false);
  });
  it('integer translations and double flips are exact', () => {
    const moved = transformMask(lungs, side, t({ translateX: 7, translateY: -3 }), 'nearest');
    for (let y = 3; y < side; y++) for (let x = 0; x < side - 7; x++) expect(moved[(y - 3) * side + x + 7]).toBe(lungs[y * side + x]);
    const flipped = transformMask(lungs, side, t({ flipX: true }), 'nearest');
    expect(flipped[128 * side + 10]).toBe(lungs[128 * side + 245]);
    expect(transformMask(flipped, side, t({ flipX: true }), 'nearest')).toEqual(lungs);
  });
  it('rotating by a then -a returns the mask with Dice >= 0.99 (linear) and >= 0.98 (nearest)', () => {
    for (const a of [5, 15, 30, 45]) {
      const back = (s: 'linear' | 'nearest') => transformMask(transformMask(lungs, side, t({ rotateDeg: a }), s), side, t({ rotateDeg: -a }), s);
      expect(dice(back('linear'), lungs)).toBeGreaterThanOrEqual(0.99);
      expect(dice(back('nearest'), lungs)).toBeGreaterThanOrEqual(0.98);
    }
  });
  it('keeps the area within 1% under rotation and translation, and scales it by sx*sy within 2%', () => {
    const area = count(lungs);
    for (const [rotateDeg, translateX, translateY] of [[10, 0, 0], [33, 5.5, -4.2], [-60, -12, 9]]) {
      const moved = transformMask(lungs, side, t({ rotateDeg, translateX, translateY }));
      expect(Math.abs(count(moved) - area) / area).toBeLessThan(0.01);
    }
    const scaled = transformMask(lungs, side, t({ scaleX: 1.2, scaleY: 0.8 }));
    expect(Math.abs(count(scaled) - area * 0.96) / (area * 0.96)).toBeLessThan(0.02);
  });
  it('rotates about the image centre: a centred disc does not move', () => {
    const disc = ellipseMask(side, 128, 128, 40, 40);
    expect(dice(transformMask(disc, side, t({ rotateDeg: 73 })), disc)).toBeGreaterThan(0.995);
  });
  it('shears: a shear keeps area (determinant 1) but moves the shape', () => {
    const sheared = transformMask(lungs, side, t({ shearX: 0.2 }));
    expect(Math.abs(count(sheared) - count(lungs)) / count(lungs)).toBeLessThan(0.01);
    expect(dice(sheared, lungs)).toBeLessThan(0.95);
  });
  it('deforms elastically in proportion to strength, keeping area roughly', () => {
    const mild = transformMask(lungs, side, t({ elastic: { strength: 2, smoothness: 32, seed: 3 } }));
    const strong = transformMask(lungs, side, t({ elastic: { strength: 10, smoothness: 32, seed: 3 } }));
    expect(dice(mild, lungs)).toBeGreaterThan(dice(strong, lungs));
    expect(dice(strong, lungs)).toBeLessThan(0.97);
    expect(Math.abs(count(mild) - count(lungs)) / count(lungs)).toBeLessThan(0.05);
  });
});
