import { InferenceError } from '../errors.ts';
import type { Dim, ModelSpec, TensorSpec } from './types.ts';

/** A tensor as an ONNX graph declares it: its name and, where the graph says, its shape and element type. */
export interface DeclaredTensor {
  name: string;
  shape?: readonly Dim[];
  /** ORT's element type name ('float32', 'uint8', 'float16', ...). */
  type?: string;
}

/** One entry of ORT's inputMetadata / outputMetadata (onnxruntime-web and -node alike) as a DeclaredTensor; ORT gives an empty shape when the graph declares none. */
export function declaredTensor(meta: { name: string; isTensor: boolean; shape?: ReadonlyArray<number | string>; type?: string }): DeclaredTensor {
  if (!meta.isTensor) return { name: meta.name };
  return { name: meta.name, ...(meta.shape?.length ? { shape: [...meta.shape] } : {}), ...(meta.type ? { type: meta.type } : {}) };
}

/** The inputs and outputs a loaded model declares (ORT's inputMetadata / outputMetadata). */
export interface ModelIo {
  inputs: readonly DeclaredTensor[];
  outputs: readonly DeclaredTensor[];
}

/**
 * Bind a hand-written spec (the "your own model" form) to what the model
 * declares, before anything runs: blank tensor names take the model's first,
 * given names must exist, and every dimension both sides fix as a number must
 * agree. Symbolic dimensions on either side are left to the first run. The
 * studio feeds float32, float16 to a graph that takes halves, or uint8 to a model
 * whose graph takes uint8 pixels, and reads float32 or float16 (the dtype is then
 * bound to the graph's); any other element type is refused with what to export
 * instead.
 */
export function bindModelIo(spec: ModelSpec, io: ModelIo, role: string, describedBy: 'form' | 'manifest' = 'form'): ModelSpec {
  const input = bindTensor(spec.inputs[0], io.inputs, role, 'input', describedBy);
  const output = bindTensor(spec.outputs[0], io.outputs, role, 'output', describedBy);
  return { ...spec, inputs: [input, ...spec.inputs.slice(1)], outputs: [output, ...spec.outputs.slice(1)] };
}

function bindTensor(wanted: TensorSpec, declared: readonly DeclaredTensor[], role: string, kind: 'input' | 'output', describedBy: 'form' | 'manifest'): TensorSpec {
  const names = declared.map((t) => t.name);
  const found = wanted.name ? declared.find((t) => t.name === wanted.name) : declared[0];
  if (!found) {
    throw new InferenceError('model-io-mismatch', `${role}: the ${describedBy} names ${kind} "${wanted.name}", the model's ${kind}s are [${names.join(', ')}]`);
  }
  // a classifier's scores as [batch, classes, 1, 1] or [batch, 1, 1, classes] (a 1x1 convolution head exported without its flatten)
  const scores = kind === 'output' && wanted.shape.length === 2 ? unitSpatialScores(found.shape) : undefined;
  const shape = scores ?? found.shape;
  if (shape) {
    const fixed = (d: Dim | undefined): d is number => typeof d === 'number' && d > 0;
    const clash = shape.length !== wanted.shape.length || wanted.shape.some((d, i) => fixed(d) && fixed(shape[i]) && d !== shape[i]);
    if (clash) {
      const oneLogit = kind === 'output' && wanted.shape.length === 2 && shape.length === 2 && wanted.shape[1] === 2 && shape[1] === 1;
      const hint = otherOrder(wanted.shape, shape)
        ? '; the model has its channels on the other side: change the channel order'
        : oneLogit
          ? '; one output for two classes needs the sigmoid activation'
          : kind === 'input'
            ? sizeHint(wanted.shape, shape)
            : namesHint(wanted.shape, shape);
      throw new InferenceError('model-io-mismatch', `${role} ${kind} "${found.name}": the ${describedBy} gives [${wanted.shape.join(', ')}], the model declares [${found.shape!.join(', ')}]${hint}`);
    }
  }
  const bound = { ...wanted, name: found.name, dtype: boundType(wanted, found, role, kind) };
  return scores ? { ...bound, shape: [wanted.shape[0], ...found.shape!.slice(1)] } : bound;
}

/** [batch, classes] read from a 4-d shape whose two spatial sizes are fixed at 1, channels first or last; otherwise undefined. */
export function unitSpatialScores(shape: readonly Dim[] | undefined): Dim[] | undefined {
  if (shape?.length !== 4) return undefined;
  if (shape[2] === 1 && shape[3] === 1) return [shape[0], shape[1]];
  if (shape[1] === 1 && shape[2] === 1) return [shape[0], shape[3]];
  return undefined;
}

/**
 * The element type the studio will feed or read: the form's float32; float16 where the graph
 * takes or gives halves (a float16 conversion without keep_io_types); uint8 where it takes pixels.
 */
function boundType(wanted: TensorSpec, found: DeclaredTensor, role: string, kind: 'input' | 'output'): TensorSpec['dtype'] {
  if (!found.type || found.type === wanted.dtype) return wanted.dtype;
  if (wanted.dtype === 'float32' && found.type === 'float16') return 'float16';
  if (kind === 'input' && found.type === 'uint8' && wanted.dtype === 'float32') return 'uint8';
  throw new InferenceError('model-io-mismatch', `${role} ${kind} "${found.name}": the model declares ${found.type}, the studio ${kind === 'input' ? 'feeds float32, float16 or uint8 pixels' : 'reads float32 or float16'}; export it with a float32 ${kind}`);
}

/** What a 4-d input's fixed sizes say against the form's: the size or channel count to type, or that a non-square input cannot be fed. */
function sizeHint(wanted: readonly Dim[], declared: readonly Dim[]): string {
  if (wanted.length !== 4 || declared.length !== 4) return '';
  // [channels, height, width]: the channel axis is the small one, dimension 1 when it is 1-4, else the last
  const axes = (shape: readonly Dim[]) => (typeof shape[1] === 'number' && shape[1] <= 4 ? [shape[1], shape[2], shape[3]] : [shape[3], shape[1], shape[2]]);
  const [channels, height, width] = axes(declared);
  const [wantedChannels, wantedSize] = axes(wanted);
  const known = (d: Dim): d is number => typeof d === 'number' && d > 0;
  if (known(height) && known(width) && height !== width) {
    return `; the model takes a non-square ${height} x ${width} input, and the studio feeds square images (the X-ray padded to a square): this model cannot be used as it is`;
  }
  const hints = [
    known(height) && height !== wantedSize ? `the model takes ${height} px: set the input size to ${height}` : '',
    known(channels) && channels !== wantedChannels ? `the model takes ${channels} channel(s): set the input channels to ${channels}` : '',
  ].filter(Boolean);
  return hints.length ? `; ${hints.join('; ')}` : '';
}

/** An output whose class or channel count the graph fixes otherwise: how many names to give. */
function namesHint(wanted: readonly Dim[], declared: readonly Dim[]): string {
  if (wanted.length !== declared.length) return '';
  // a classifier's [batch, classes]; a segmenter's [batch, channels, H, W] or [batch, H, W, channels], as the form gives it
  const at = wanted.length === 2 ? 1 : typeof wanted[1] === 'number' ? 1 : wanted.length - 1;
  const count = declared[at];
  if (typeof count !== 'number' || count <= 0 || count === wanted[at]) return '';
  return wanted.length === 2 ? `; the model scores ${count} classes: give ${count} class names` : `; the model gives ${count} mask channels: give ${count} channel names`;
}

/** [batch, C, H, W] against [batch, H, W, C] or the reverse, where the declared sizes say so: the form's channel order is the wrong one. */
function otherOrder(wanted: readonly Dim[], declared: readonly Dim[]): boolean {
  if (wanted.length !== 4 || declared.length !== 4) return false;
  const same = (x: Dim, y: Dim) => typeof x !== 'number' || typeof y !== 'number' || x === y;
  // the channel counts must be given on both sides; a symbolic height or width fits either way
  const swapped = (a: readonly Dim[], b: readonly Dim[]) => typeof a[1] === 'number' && a[1] === b[3] && same(a[2], b[1]) && same(a[3], b[2]);
  return swapped(wanted, declared) || swapped(declared, wanted);
}
