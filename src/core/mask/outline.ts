/**
 * The boundary of a 0/1 mask: foreground pixels with a 4-neighbour in the background
 * (or on the image edge). Drawn over a generated image to show the conditioning mask.
 */
export function maskOutline(mask: ArrayLike<number>, side: number): Uint8Array {
  if (mask.length !== side * side) throw new RangeError(`maskOutline: expected ${side * side} pixels, received ${mask.length}`);
  const out = new Uint8Array(mask.length);
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < side && y < side && mask[y * side + x] > 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (!inside(x, y)) continue;
      if (!inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1)) out[y * side + x] = 1;
    }
  }
  return out;
}
