/**
 * 95th-percentile Hausdorff distance between two binary masks (any value > 0
 * is foreground) on a width x height grid, in pixels, as MONAI's
 * compute_hausdorff_distance(percentile=95): surface pixels are the
 * foreground minus its erosion by the 4-neighbour cross (the image border
 * counts as background), each surface's distances to the other surface are
 * collected, and the larger of the two 95th percentiles (numpy's linear
 * interpolation) is returned. NaN when either mask is empty.
 */
import { percentile } from './quantile.ts';

function surface(mask: ArrayLike<number>, width: number, height: number): number[] {
  const points: number[] = [];
  const at = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] > 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (at(x, y) && !(at(x - 1, y) && at(x + 1, y) && at(x, y - 1) && at(x, y + 1))) points.push(x, y);
    }
  }
  return points;
}

function directed(from: number[], to: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < from.length; i += 2) {
    let best = Infinity;
    for (let j = 0; j < to.length; j += 2) {
      const dx = from[i] - to[j];
      const dy = from[i + 1] - to[j + 1];
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    out.push(Math.sqrt(best));
  }
  return out;
}

export function hausdorff95(prediction: ArrayLike<number>, truth: ArrayLike<number>, width: number, height: number): number {
  if (prediction.length !== width * height || truth.length !== width * height) {
    throw new RangeError(`hausdorff95: expected ${width * height} pixels for ${width}x${height}, received ${prediction.length} and ${truth.length}`);
  }
  const a = surface(prediction, width, height);
  const b = surface(truth, width, height);
  if (a.length === 0 || b.length === 0) return Number.NaN;
  return Math.max(percentile(directed(a, b), 95), percentile(directed(b, a), 95));
}
