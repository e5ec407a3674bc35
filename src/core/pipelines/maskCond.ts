import type { MaskChannelSpec } from '../manifest/types.ts';
import { avgPool } from '../mask/avgPool.ts';

/** A binary mask for one layer (e.g. "lung"), at the model's full resolution. */
export interface MaskLayer {
  layer: string;
  /** 0/1 per pixel, row-major, side x side. */
  data: Uint8Array;
  side: number;
  /** How the mask was drawn, e.g. "shenzhen" (excludes the retrocardiac region) or "v7". */
  convention?: string;
}

/**
 * Builds the UNet's mask_cond [C, side/pool, side/pool] from the manifest's
 * `mask_channels`, in their order: `mask` = the layer's pooled mask (0 when absent),
 * `given` = 1 everywhere when the layer is given, `convention` = 1 everywhere when the
 * layer is given and drawn in the channel's convention. No masks means all zeros:
 * the "no mask" state the model was trained with.
 */
export function buildMaskCond(channels: readonly MaskChannelSpec[], layers: readonly MaskLayer[], side: number, pool: number): Float32Array {
  const cells = (side / pool) ** 2;
  const out = new Float32Array(channels.length * cells);
  channels.forEach((channel, c) => {
    const layer = layers.find((l) => l.layer === channel.layer);
    if (!layer) return;
    const target = out.subarray(c * cells, (c + 1) * cells);
    switch (channel.kind) {
      case 'mask':
        target.set(avgPool(layer.data, side, pool));
        break;
      case 'given':
        target.fill(1);
        break;
      case 'convention':
        if (layer.convention === channel.value) target.fill(1);
        break;
    }
  });
  return out;
}
