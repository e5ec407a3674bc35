import { InferenceError } from '../errors.ts';
import type { Dim, TensorSpec } from '../manifest/types.ts';
import type { Tensorish } from '../runner.ts';

/**
 * Check a tensor against its manifest spec. Symbolic dims ("batch") may take
 * any size but must agree across tensors sharing `bindings`.
 */
export function checkTensor(tensor: Tensorish | undefined, spec: TensorSpec, role: string, bindings: Map<string, number> = new Map()): Tensorish {
  if (!tensor) throw new InferenceError('model-io-mismatch', `${role}: expected a tensor named "${spec.name}", received none`);
  const expected = spec.shape.map(String).join(', ');
  const received = tensor.dims.join(', ');
  if (tensor.type !== spec.dtype) {
    throw new InferenceError('model-io-mismatch', `${role} "${spec.name}": expected dtype ${spec.dtype}, received ${tensor.type}`);
  }
  if (tensor.dims.length !== spec.shape.length || !spec.shape.every((d, i) => dimMatches(d, tensor.dims[i], bindings))) {
    throw new InferenceError('model-io-mismatch', `${role} "${spec.name}": expected shape [${expected}], received [${received}]`);
  }
  return tensor;
}

function dimMatches(dim: Dim, size: number, bindings: Map<string, number>): boolean {
  if (typeof dim === 'number') return dim === size;
  const bound = bindings.get(dim);
  if (bound === undefined) {
    bindings.set(dim, size);
    return true;
  }
  return bound === size;
}

/** How many of these values are NaN or infinite: what a model gives when it overflows (float16) or a kernel goes wrong. */
export function countNonFinite(values: ArrayLike<number>): number {
  let bad = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) bad++;
  return bad;
}
