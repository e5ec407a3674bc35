/** Decoded image pixels, interleaved channels (as fast-png and ImageData give them). */
export interface PixelRaster {
  width: number;
  height: number;
  /** 1 = gray, 2 = gray+alpha, 3 = RGB, 4 = RGBA. */
  channels: number;
  data: ArrayLike<number>;
  /** Largest sample value: 255 for 8-bit, 65535 for 16-bit. */
  maxValue?: number;
}

/**
 * A mask image -> 0/1 raster of side x side: foreground where the first channel is
 * above half of the range (> 127 for 8-bit, how the reference generator binarised its
 * training masks) and not transparent. Other sizes are resampled nearest-neighbour.
 */
export function maskFromPixels(image: PixelRaster, side: number): Uint8Array {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new RangeError(`mask image: expected ${width}x${height}x${channels} = ${width * height * channels} samples, received ${data.length}`);
  }
  const threshold = (image.maxValue ?? 255) / 2;
  const hasAlpha = channels === 2 || channels === 4;
  const out = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / side));
    for (let x = 0; x < side; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / side));
      const at = (sy * width + sx) * channels;
      const opaque = !hasAlpha || data[at + channels - 1] > 0;
      out[y * side + x] = opaque && data[at] > threshold ? 1 : 0;
    }
  }
  return out;
}
