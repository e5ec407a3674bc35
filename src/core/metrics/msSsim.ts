/**
 * Multi-scale SSIM (Wang, Simoncelli & Bovik 2003) as pytorch_msssim.ms_ssim
 * computes it: 11-tap Gaussian window (σ 1.5) applied separably without
 * padding ("valid"), K1 0.01, K2 0.03, five scales weighted [0.0448, 0.2856,
 * 0.3001, 0.2363, 0.1333], contrast-structure terms of the first four scales
 * and SSIM of the last clipped at 0, 2x2 average pooling between scales with
 * padding (size mod 2) counted as zeros. The smaller side must exceed 160 pixels
 * (the window must fit at the fifth scale). Used within a prompt as a diversity
 * measure: mean pairwise MS-SSIM near 1 means the images look alike.
 */
export interface Plane {
  data: Float64Array | Float32Array;
  width: number;
  height: number;
}

const WEIGHTS = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];
const WINDOW = 11;
const SIGMA = 1.5;

function gaussianWindow(): Float64Array {
  const g = Float64Array.from({ length: WINDOW }, (_, i) => Math.exp(-((i - (WINDOW >> 1)) ** 2) / (2 * SIGMA * SIGMA)));
  const total = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / total);
}

const GAUSSIAN = gaussianWindow();

/** Separable valid filtering: output (height-10) x (width-10). */
function filterValid(data: Float64Array, width: number, height: number): Float64Array {
  const w1 = width - WINDOW + 1;
  const h1 = height - WINDOW + 1;
  const horizontal = new Float64Array(height * w1);
  for (let y = 0; y < height; y++) for (let x = 0; x < w1; x++) {
    let s = 0;
    for (let k = 0; k < WINDOW; k++) s += GAUSSIAN[k] * data[y * width + x + k];
    horizontal[y * w1 + x] = s;
  }
  const out = new Float64Array(h1 * w1);
  for (let y = 0; y < h1; y++) for (let x = 0; x < w1; x++) {
    let s = 0;
    for (let k = 0; k < WINDOW; k++) s += GAUSSIAN[k] * horizontal[(y + k) * w1 + x];
    out[y * w1 + x] = s;
  }
  return out;
}

function ssimAndContrast(a: Float64Array, b: Float64Array, width: number, height: number, dataRange: number): { ssim: number; cs: number } {
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  const product = (p: Float64Array, q: Float64Array) => p.map((v, i) => v * q[i]);
  const muA = filterValid(a, width, height);
  const muB = filterValid(b, width, height);
  const aa = filterValid(product(a, a), width, height);
  const bb = filterValid(product(b, b), width, height);
  const ab = filterValid(product(a, b), width, height);
  let ssim = 0;
  let cs = 0;
  for (let i = 0; i < muA.length; i++) {
    const varA = aa[i] - muA[i] * muA[i];
    const varB = bb[i] - muB[i] * muB[i];
    const covariance = ab[i] - muA[i] * muB[i];
    const csValue = (2 * covariance + c2) / (varA + varB + c2);
    cs += csValue;
    ssim += ((2 * muA[i] * muB[i] + c1) / (muA[i] * muA[i] + muB[i] * muB[i] + c1)) * csValue;
  }
  return { ssim: ssim / muA.length, cs: cs / muA.length };
}

/** 2x2 average pooling, stride 2, padding (size mod 2) on each side counted as zeros (count_include_pad). */
function averagePool(data: Float64Array, width: number, height: number): { data: Float64Array; width: number; height: number } {
  const padX = width % 2;
  const padY = height % 2;
  const w = Math.floor((width + 2 * padX - 2) / 2) + 1;
  const h = Math.floor((height + 2 * padY - 2) / 2) + 1;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0;
    for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) {
      const sy = 2 * y + dy - padY;
      const sx = 2 * x + dx - padX;
      if (sy >= 0 && sy < height && sx >= 0 && sx < width) s += data[sy * width + sx];
    }
    out[y * w + x] = s / 4;
  }
  return { data: out, width: w, height: h };
}

export function msSsim(first: Plane, second: Plane, dataRange = 1): number {
  if (first.width !== second.width || first.height !== second.height) {
    throw new RangeError(`msSsim: images differ in size (${first.width}x${first.height} vs ${second.width}x${second.height})`);
  }
  const minSide = (WINDOW - 1) * 2 ** (WEIGHTS.length - 1);
  if (Math.min(first.width, first.height) <= minSide) throw new RangeError(`msSsim: the smaller side must exceed ${minSide} pixels, got ${first.width}x${first.height}`);
  let a: { data: Float64Array; width: number; height: number } = { data: Float64Array.from(first.data), width: first.width, height: first.height };
  let b: { data: Float64Array; width: number; height: number } = { data: Float64Array.from(second.data), width: second.width, height: second.height };
  let result = 1;
  for (let scale = 0; scale < WEIGHTS.length; scale++) {
    const { ssim, cs } = ssimAndContrast(a.data, b.data, a.width, a.height, dataRange);
    if (scale < WEIGHTS.length - 1) {
      result *= Math.max(cs, 0) ** WEIGHTS[scale];
      a = averagePool(a.data, a.width, a.height);
      b = averagePool(b.data, b.width, b.height);
    } else {
      result *= Math.max(ssim, 0) ** WEIGHTS[scale];
    }
  }
  return result;
}

/** Mean MS-SSIM over all pairs of a set (diversity within a prompt; lower is more diverse). NaN under two images. */
export function meanPairwiseMsSsim(planes: readonly Plane[], dataRange = 1): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < planes.length; i++) for (let j = i + 1; j < planes.length; j++) {
    sum += msSsim(planes[i], planes[j], dataRange);
    pairs++;
  }
  return pairs ? sum / pairs : Number.NaN;
}
