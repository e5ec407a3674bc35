import { decode } from 'fast-png';
import { ImageError } from '../errors.ts';
import type { Manifest } from '../manifest/types.ts';
import { sha256Hex } from '../manifest/verifyFile.ts';
import { maskFromPixels } from '../mask/maskFromPixels.ts';
import type { MaskLayer } from '../pipelines/maskCond.ts';
import type { MaskSource } from './request.ts';

/** The side of the masks a generator takes: its latent side times its mask pooling (256 for a bundle without diffusion). */
export function generatorMaskSide(manifest: Manifest): number {
  const diffusion = manifest.diffusion;
  return diffusion ? diffusion.latent_shape[1] * diffusion.mask_pool : 256;
}

/** A mask PNG -> the 0/1 layer the pipeline takes, at the model's mask side (the one mask rule: maskFromPixels). */
export function readMask(source: MaskSource, manifest: Manifest): MaskLayer {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(source.bytes);
  } catch (error) {
    throw new ImageError('image-decode-failed', `mask ${source.name}: expected a PNG image, could not read it (${error instanceof Error ? error.message : String(error)})`);
  }
  const side = generatorMaskSide(manifest);
  const data = maskFromPixels({ ...png, maxValue: 2 ** png.depth - 1 }, side);
  return { layer: source.layer, side, data, ...(source.convention ? { convention: source.convention } : {}) };
}

/** What the provenance records of a mask: its name and the sha256 of the bytes the user gave. */
export async function maskReference(source: MaskSource): Promise<{ name: string; sha256: string }> {
  return { name: source.name, sha256: await sha256Hex(source.bytes) };
}
