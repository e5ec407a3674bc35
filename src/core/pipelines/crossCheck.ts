import type { ModelSpec, TensorSpec } from '../manifest/types.ts';
import { mulberry32 } from '../rng.ts';
import { elementCount, float32Tensor, int64Tensor, type Runner, type TensorMap } from '../runner.ts';

/**
 * A fixed, batch-1 input for every model input in the manifest: float32 inputs get
 * seeded uniforms over their declared range (default [-1, 1]), int64 inputs zeros
 * (the [PAD] id for a text encoder).
 */
export function probeFeeds(spec: ModelSpec, seed = 1): TensorMap {
  const next = mulberry32(seed);
  const dimsOf = (input: TensorSpec) => input.shape.map((d) => (typeof d === 'number' ? d : 1));
  return Object.fromEntries(
    spec.inputs.map((input) => {
      const dims = dimsOf(input);
      const n = elementCount(dims);
      if (input.dtype === 'int64') return [input.name, int64Tensor(new BigInt64Array(n), dims)];
      const [low, high] = input.range ?? [-1, 1];
      return [input.name, float32Tensor(Float32Array.from({ length: n }, () => low + (high - low) * next()), dims)];
    }),
  );
}

export interface Agreement {
  maxAbsDiff: number;
  agrees: boolean;
}

/**
 * Runs the same probe through two runners of one model (e.g. WebGPU and WASM) and
 * compares the first output. Some WebGPU kernels return wrong numbers without an
 * error on some adapters; this is how a worker finds out before the user sees it.
 */
export async function crossCheck(spec: ModelSpec, candidate: Runner, reference: Runner, tolerance = 1e-2): Promise<Agreement> {
  const feeds = probeFeeds(spec);
  const name = spec.outputs[0].name;
  const [a, b] = await Promise.all([candidate.run(feeds), reference.run(feeds)]);
  const x = a[name].data as Float32Array;
  const y = b[name].data as Float32Array;
  let maxAbsDiff = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < x.length && maxAbsDiff !== Infinity; i++) {
    const d = Math.abs(x[i] - y[i]);
    // NaN from either side counts as total disagreement.
    maxAbsDiff = Number.isNaN(d) ? Infinity : Math.max(maxAbsDiff, d);
  }
  return { maxAbsDiff, agrees: maxAbsDiff <= tolerance };
}
