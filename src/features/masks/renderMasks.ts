import type { LayerStyle } from './maskStore.ts';

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Composites the reference image (or black) and the visible layers, each in its colour at
 * `opacity`, into RGBA pixels for a canvas.
 */
export function renderMasks(
  side: number,
  reference: Uint8ClampedArray | undefined,
  layers: [Uint8Array, LayerStyle][],
  opacity: number,
  out: Uint8ClampedArray = new Uint8ClampedArray(side * side * 4),
): Uint8ClampedArray {
  const visible = layers.filter(([, style]) => style.visible).map(([mask, style]) => [mask, rgb(style.colour)] as const);
  for (let i = 0; i < side * side; i++) {
    let r = reference ? reference[i] : 0;
    let g = r;
    let b = r;
    for (const [mask, [cr, cg, cb]] of visible) {
      if (!mask[i]) continue;
      r += (cr - r) * opacity;
      g += (cg - g) * opacity;
      b += (cb - b) * opacity;
    }
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = 255;
  }
  return out;
}
