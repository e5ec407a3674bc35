import { Float16Array } from '@petamoriken/float16';

/**
 * The seam between pipelines and an inference engine. onnxruntime-web (in a
 * worker) and onnxruntime-node (in the CLI) both satisfy `Runner`; pipelines
 * in src/core only ever see this interface, never ORT itself.
 *
 * Field names match ORT's own Tensor (`type`, `dims`, `data`) so an ORT tensor
 * is already a `Tensorish` and adapters stay thin.
 */

export type TensorType = 'float32' | 'float16' | 'int64' | 'int32' | 'uint8' | 'int8' | 'bool';

export type TensorData = Float32Array | Uint16Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

export interface Tensorish {
  readonly type: TensorType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

export type TensorMap = Record<string, Tensorish>;

export interface Runner {
  run(feeds: TensorMap): Promise<TensorMap>;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** A tensor of `type` over `data`, which must hold exactly the elements `dims` ask for. */
function filledTensor(type: TensorType, data: TensorData, dims: readonly number[]): Tensorish {
  if (data.length !== elementCount(dims)) {
    throw new RangeError(`${type}Tensor: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  }
  return { type, dims: [...dims], data };
}

export function float32Tensor(data: Float32Array, dims: readonly number[]): Tensorish {
  return filledTensor('float32', data, dims);
}

/**
 * A float16 tensor of these values, rounded to the nearest half: its data the IEEE half bits
 * in a Uint16Array, which onnxruntime-web and -node both take for 'float16' (the polyfill
 * rounds; Node 20 has no Float16Array of its own).
 */
export function float16Tensor(values: Float32Array, dims: readonly number[]): Tensorish {
  return filledTensor('float16', new Uint16Array(new Float16Array(values).buffer), dims);
}

/**
 * A float output's values as float32: float32 data as it is; float16 data decoded, whether
 * ORT gives it as half bits in a Uint16Array (onnxruntime-node on Node 20) or as the
 * browser's own Float16Array (onnxruntime-web in Chromium).
 */
export function float32Values(tensor: Tensorish): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type !== 'float16') throw new TypeError(`float32Values: an ${tensor.type} tensor holds no float values`);
  const data = tensor.data as ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; length: number };
  const halves = data instanceof Uint16Array ? new Float16Array(data.buffer, data.byteOffset, data.length) : data;
  return Float32Array.from(halves);
}

export function uint8Tensor(data: Uint8Array, dims: readonly number[]): Tensorish {
  return filledTensor('uint8', data, dims);
}

export function int64Tensor(data: BigInt64Array, dims: readonly number[]): Tensorish {
  return filledTensor('int64', data, dims);
}
