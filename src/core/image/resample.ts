import { grayImage, type GrayImage } from './grayImage.ts';

/**
 * Resize a gray image. Downsampling uses area averaging (each output pixel is
 * the coverage-weighted mean of the input pixels under it, like OpenCV
 * INTER_AREA / torch adaptive average pooling): bilinear would alias.
 * Upsampling uses bilinear with half-pixel centres (PyTorch
 * `align_corners=False`, edges clamped).
 */
export type ResampleMethod = 'auto' | 'bilinear' | 'area';

export function resize(image: GrayImage, width: number, height: number, method: ResampleMethod = 'auto'): GrayImage {
  if (image.width === width && image.height === height) return grayImage(width, height, image.data.slice());
  const useArea = method === 'area' || (method === 'auto' && width <= image.width && height <= image.height);
  return useArea ? resizeArea(image, width, height) : resizeBilinear(image, width, height);
}

export function resizeBilinear(image: GrayImage, width: number, height: number): GrayImage {
  const xs = bilinearTaps(image.width, width);
  const ys = bilinearTaps(image.height, height);
  const out = new Float32Array(width * height);
  const src = image.data;
  for (let y = 0; y < height; y++) {
    const r0 = ys.lo[y] * image.width;
    const r1 = ys.hi[y] * image.width;
    const fy = ys.frac[y];
    for (let x = 0; x < width; x++) {
      const fx = xs.frac[x];
      const top = src[r0 + xs.lo[x]] * (1 - fx) + src[r0 + xs.hi[x]] * fx;
      const bottom = src[r1 + xs.lo[x]] * (1 - fx) + src[r1 + xs.hi[x]] * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return grayImage(width, height, out);
}

function bilinearTaps(inSize: number, outSize: number) {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const src = Math.max(0, (i + 0.5) * scale - 0.5);
    const l = Math.min(Math.floor(src), inSize - 1);
    lo[i] = l;
    hi[i] = Math.min(l + 1, inSize - 1);
    frac[i] = src - l;
  }
  return { lo, hi, frac };
}

export function resizeArea(image: GrayImage, width: number, height: number): GrayImage {
  const wx = areaWeights(image.width, width);
  const wy = areaWeights(image.height, height);
  const rows = new Float32Array(image.height * width);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const [i, w] of wx[x]) sum += image.data[y * image.width + i] * w;
      rows[y * width + x] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const [j, w] of wy[y]) sum += rows[j * width + x] * w;
      out[y * width + x] = sum;
    }
  }
  return grayImage(width, height, out);
}

/** For each output cell, the input cells it covers and their normalised overlap. */
function areaWeights(inSize: number, outSize: number): Array<Array<[number, number]>> {
  const scale = inSize / outSize;
  const result: Array<Array<[number, number]>> = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * scale;
    const end = start + scale;
    const taps: Array<[number, number]> = [];
    for (let i = Math.floor(start); i < Math.min(Math.ceil(end), inSize); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 1e-9) taps.push([i, overlap / scale]);
    }
    result.push(taps);
  }
  return result;
}
