/**
 * Per-pixel features for the segmentation augmentation head: what a frozen
 * segmenter said at a pixel and around it, the pixel's intensity and where it
 * lies. A logistic head on these re-calibrates the segmenter's mask.
 */
export interface SegmenterView {
  width: number;
  height: number;
  /** The segmenter's logit of the chosen channel, row-major. */
  logits: ArrayLike<number>;
  /** Image intensity in 0..1, row-major. */
  intensity: ArrayLike<number>;
}

export const PIXEL_FEATURE_NAMES = ['logit', 'logit_box_mean', 'intensity', 'x', 'y', 'abs_x_minus_half'] as const;
export const PIXEL_FEATURE_COUNT = PIXEL_FEATURE_NAMES.length;

/** Mean over the (2r+1)² window clipped to the image, by a summed-area table. */
export function boxMean(values: ArrayLike<number>, width: number, height: number, radius: number): Float64Array {
  if (values.length !== width * height) throw new RangeError(`boxMean: ${values.length} values for ${width}×${height}`);
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + row;
    }
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const sum = table[y1 * stride + x1] - table[y0 * stride + x1] - table[y1 * stride + x0] + table[y0 * stride + x0];
      out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** The features of every pixel, `PIXEL_FEATURE_COUNT` per pixel; x and y are (i + 0.5) / size. */
export function pixelFeatureMaps(view: SegmenterView, blurRadius = 4): Float64Array {
  const { width, height, logits, intensity } = view;
  const n = width * height;
  if (logits.length !== n || intensity.length !== n) throw new RangeError(`pixelFeatureMaps: ${logits.length} logits and ${intensity.length} intensities for ${width}×${height}`);
  const blurred = boxMean(logits, width, height, blurRadius);
  const out = new Float64Array(n * PIXEL_FEATURE_COUNT);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const u = (x + 0.5) / width;
      out.set([logits[i], blurred[i], intensity[i], u, (y + 0.5) / height, Math.abs(u - 0.5)], i * PIXEL_FEATURE_COUNT);
    }
  }
  return out;
}

export function featuresAt(maps: Float64Array, pixel: number): Float64Array {
  return maps.subarray(pixel * PIXEL_FEATURE_COUNT, (pixel + 1) * PIXEL_FEATURE_COUNT);
}
