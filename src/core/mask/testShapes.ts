/** Test helpers: simple shapes on a square raster. */
export function ellipseMask(side: number, cx: number, cy: number, rx: number, ry: number): Uint8Array {
  const mask = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const u = (x + 0.5 - cx) / rx;
      const v = (y + 0.5 - cy) / ry;
      if (u * u + v * v <= 1) mask[y * side + x] = 1;
    }
  }
  return mask;
}

/** Two lung-like ellipses, the shape the editor mostly sees. */
export function lungsMask(side: number): Uint8Array {
  const left = ellipseMask(side, side * 0.32, side * 0.5, side * 0.14, side * 0.3);
  const right = ellipseMask(side, side * 0.68, side * 0.5, side * 0.15, side * 0.32);
  return left.map((v, i) => v | right[i]);
}

export function count(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] > 0) n++;
  return n;
}
