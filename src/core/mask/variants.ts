import { mulberry32 } from '../rng.ts';
import type { MaskTransform } from './transform.ts';

/** Closed ranges [min, max] a random variant's parameters are drawn from (uniformly). */
export interface VariantRanges {
  rotateDeg: [number, number];
  scaleX: [number, number];
  scaleY: [number, number];
  translateX: [number, number];
  translateY: [number, number];
  shearX: [number, number];
  shearY: [number, number];
  /** Chance of a left-right flip per variant, 0..1. */
  flipXChance: number;
  elasticStrength: [number, number];
  elasticSmoothness: number;
}

export const DEFAULT_VARIANT_RANGES: VariantRanges = {
  rotateDeg: [-10, 10], scaleX: [0.9, 1.1], scaleY: [0.9, 1.1], translateX: [-10, 10], translateY: [-10, 10],
  shearX: [-0.05, 0.05], shearY: [-0.05, 0.05], flipXChance: 0, elasticStrength: [0, 4], elasticSmoothness: 32,
};

function checkRanges(ranges: VariantRanges): void {
  for (const [name, value] of Object.entries(ranges)) {
    if (Array.isArray(value) && !(value[0] <= value[1])) throw new RangeError(`variant range ${name}: min ${value[0]} is above max ${value[1]}`);
  }
  if (ranges.scaleX[0] <= 0 || ranges.scaleY[0] <= 0) throw new RangeError('variant scale must stay above 0');
}

/** `count` transforms drawn from `ranges` with `seed`: the same arguments give the same variants. */
export function randomVariants(ranges: VariantRanges, count: number, seed: number): MaskTransform[] {
  checkRanges(ranges);
  const uniform = mulberry32(seed);
  const pick = ([min, max]: [number, number]) => min + (max - min) * uniform();
  return Array.from({ length: count }, () => {
    const t: MaskTransform = {
      rotateDeg: pick(ranges.rotateDeg),
      scaleX: pick(ranges.scaleX),
      scaleY: pick(ranges.scaleY),
      translateX: pick(ranges.translateX),
      translateY: pick(ranges.translateY),
      shearX: pick(ranges.shearX),
      shearY: pick(ranges.shearY),
      flipX: uniform() < ranges.flipXChance,
      flipY: false,
      elastic: null,
    };
    const strength = pick(ranges.elasticStrength);
    const elasticSeed = Math.floor(uniform() * 0x100000000);
    if (strength > 0) t.elastic = { strength, smoothness: ranges.elasticSmoothness, seed: elasticSeed };
    return t;
  });
}
