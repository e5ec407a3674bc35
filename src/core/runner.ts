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

export function float32Tensor(data: Float32Array, dims: readonly number[]): Tensorish {
  if (data.length !== elementCount(dims)) {
    throw new RangeError(`float32Tensor: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  }
  return { type: 'float32', dims: [...dims], data };
}

export function uint8Tensor(data: Uint8Array, dims: readonly number[]): Tensorish {
  if (data.length !== elementCount(dims)) {
    throw new RangeError(`uint8Tensor: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  }
  return { type: 'uint8', dims: [...dims], data };
}

export function int64Tensor(data: BigInt64Array, dims: readonly number[]): Tensorish {
  if (data.length !== elementCount(dims)) {
    throw new RangeError(`int64Tensor: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  }
  return { type: 'int64', dims: [...dims], data };
}
