import { about, compose, IDENTITY, invert, rotation, scaling, shearing, translation, type Affine } from './affine.ts';
import { elasticField, type DisplacementField, type ElasticParams } from './elastic.ts';
import { sampleMask, type MaskSampling } from './sampleMask.ts';

/**
 * A geometric edit of a mask, as recorded in a generated image's provenance. Flip,
 * scale, shear and rotation act about the image centre, in that order, then the
 * translation, then the elastic deformation.
 */
export interface MaskTransform {
  rotateDeg: number;
  scaleX: number;
  scaleY: number;
  /** Pixels, positive to the right / down. */
  translateX: number;
  translateY: number;
  flipX: boolean;
  flipY: boolean;
  shearX: number;
  shearY: number;
  elastic: ElasticParams | null;
}

export const IDENTITY_TRANSFORM: MaskTransform = {
  rotateDeg: 0, scaleX: 1, scaleY: 1, translateX: 0, translateY: 0, flipX: false, flipY: false, shearX: 0, shearY: 0, elastic: null,
};

/** True when `t` changes nothing (every parameter at its neutral value, no elastic field). */
export function isIdentityTransform(t: MaskTransform): boolean {
  return (Object.keys(IDENTITY_TRANSFORM) as (keyof MaskTransform)[]).every((k) => t[k] === IDENTITY_TRANSFORM[k]);
}

/** The affine part of `t` as one matrix, for a side x side raster. */
export function transformMatrix(t: MaskTransform, side: number): Affine {
  const c = side / 2;
  const centred = compose(
    scaling(t.flipX ? -1 : 1, t.flipY ? -1 : 1),
    scaling(t.scaleX, t.scaleY),
    shearing(t.shearX, t.shearY),
    rotation((t.rotateDeg * Math.PI) / 180),
  );
  return compose(about(centred, c, c), translation(t.translateX, t.translateY));
}

function isIdentity(m: Affine): boolean {
  return m.every((v, i) => v === IDENTITY[i]);
}

/**
 * Warps a 0/1 mask by the affine part of `t`, then by the elastic field, resampling once
 * (inverse mapping, so every output pixel gets a value and the result stays 0/1).
 * Pass `field` to reuse one already computed for `t.elastic`.
 */
export function transformMask(mask: ArrayLike<number>, side: number, t: MaskTransform, sampling: MaskSampling = 'linear', field?: DisplacementField): Uint8Array {
  const forward = transformMatrix(t, side);
  const elastic = t.elastic && t.elastic.strength > 0 ? (field ?? elasticField(side, t.elastic)) : undefined;
  const out = new Uint8Array(side * side);
  if (isIdentity(forward) && !elastic) {
    for (let i = 0; i < out.length; i++) out[i] = mask[i] > 0 ? 1 : 0;
    return out;
  }
  const [a, b, c, d, e, f] = invert(forward);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let px = x + 0.5;
      let py = y + 0.5;
      if (elastic) {
        px += elastic.dx[y * side + x];
        py += elastic.dy[y * side + x];
      }
      out[y * side + x] = sampleMask(mask, side, a * px + b * py + c, d * px + e * py + f, sampling);
    }
  }
  return out;
}
