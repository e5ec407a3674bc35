import protobuf from 'protobufjs/minimal.js';
import { concatAll } from '../data/bytes.ts';
import { ModelFileError } from '../errors.ts';

/**
 * ONNX models whose weights live in a separate file ("external data"): PyTorch's exporter writes
 * model.onnx plus model.onnx.data by default since 2.9. onnxruntime reads such a pair from a
 * folder, but a model handed over as bytes (the browser's workers) cannot reach the second file.
 * So the pair is made one self-contained model here, by copying each external tensor's bytes into
 * its raw_data and dropping the reference; every other byte of the file is kept as it is.
 *
 * Only the wire format is read (protobufjs's Reader and Writer), at the few fields concerned, from
 * onnx.proto: ModelProto.graph = 7; GraphProto.initializer = 5; TensorProto.raw_data = 9,
 * external_data = 13 (key/value pairs: 1, 2), data_location = 14 (1: EXTERNAL). Initializers of
 * the main graph only: those of subgraphs (If, Loop) stay as they are.
 */

const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const LOCATION_EXTERNAL = 1;
const LENGTH_DELIMITED = 2;

interface Field {
  number: number;
  /** The whole field as encoded: tag, length and value. */
  encoded: Uint8Array;
  /** A length-delimited field's value. */
  value?: Uint8Array;
  /** A varint field's value. */
  varint?: number;
}

function fields(bytes: Uint8Array): Field[] {
  const reader = protobuf.Reader.create(bytes);
  const out: Field[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wire = tag & 7;
    const field: Field = { number, encoded: bytes.subarray(start, start) };
    if (wire === LENGTH_DELIMITED) {
      field.value = reader.bytes();
    } else {
      const at = reader.pos;
      reader.skipType(wire);
      // a varint may be 64 bits (dims); only data_location's small value is ever read
      if (wire === 0 && number === TENSOR_DATA_LOCATION) field.varint = protobuf.Reader.create(bytes.subarray(at, reader.pos)).uint32();
    }
    field.encoded = bytes.subarray(start, reader.pos);
    out.push(field);
  }
  return out;
}

function lengthDelimited(number: number, value: Uint8Array): Uint8Array {
  return protobuf.Writer.create().uint32((number << 3) | LENGTH_DELIMITED).bytes(value).finish();
}

/** A tensor's external reference (location, offset, length), or undefined when its data is in the file. */
function externalReference(tensor: Field[]): { location: string; offset: number; length?: number } | undefined {
  if (!tensor.some((f) => f.number === TENSOR_DATA_LOCATION && f.varint === LOCATION_EXTERNAL)) return undefined;
  const entries = new Map<string, string>();
  for (const entry of tensor.filter((f) => f.number === TENSOR_EXTERNAL_DATA)) {
    const kv = fields(entry.value!);
    const text = (n: number) => {
      const value = kv.find((f) => f.number === n)?.value;
      return value ? protobuf.util.utf8.read(value, 0, value.length) : '';
    };
    entries.set(text(1), text(2));
  }
  const length = entries.get('length');
  return { location: entries.get('location') ?? '', offset: Number(entries.get('offset') ?? 0), ...(length !== undefined ? { length: Number(length) } : {}) };
}

/** The main graph's initializers, each as its fields. */
function initializers(model: Uint8Array): Field[][] {
  return fields(model)
    .filter((f) => f.number === MODEL_GRAPH)
    .flatMap((graph) => fields(graph.value!).filter((f) => f.number === GRAPH_INITIALIZER).map((t) => fields(t.value!)));
}

/** The file a location names: its last path part (PyTorch writes "model.onnx.data"; a location may name a subfolder). */
export const dataFileName = (location: string): string => location.split(/[\\/]/).pop() ?? location;

/**
 * The separate files this model's weights are in (empty for a self-contained model, and for bytes
 * that are not a protobuf message: those are left to onnxruntime, whose refusal names the file).
 */
export function externalDataFiles(model: Uint8Array): string[] {
  return [...new Set(externalDataLocations(model).map(dataFileName))];
}

/** The locations as the model writes them, relative to its folder (what a copy of the model needs beside it). */
export function externalDataLocations(model: Uint8Array): string[] {
  try {
    return [...new Set(initializers(model).flatMap((t) => externalReference(t)?.location ?? []))];
  } catch {
    return [];
  }
}

/**
 * The model with every external tensor's bytes copied in from `files` (by file name), as one
 * self-contained ONNX file. A file it needs and does not get, or a range past a file's end, is
 * refused with the file's name.
 */
export function embedExternalData(model: Uint8Array, files: ReadonlyMap<string, Uint8Array>, modelName = 'the model'): Uint8Array {
  const missing = externalDataFiles(model).filter((name) => !files.has(name));
  if (missing.length) {
    throw new ModelFileError('model-load-failed', `${modelName} keeps its weights in a separate file, ${missing.join(', ')}, which was not given with it (PyTorch exports so by default since 2.9): choose both files together`);
  }
  const tensor = (encoded: Field[]): Uint8Array => {
    const reference = externalReference(encoded);
    if (!reference) return concatAll(encoded.map((f) => f.encoded));
    const name = dataFileName(reference.location);
    const data = files.get(name)!;
    const end = reference.length === undefined ? data.length : reference.offset + reference.length;
    if (end > data.length) {
      throw new ModelFileError('model-truncated', `${name} is shorter (${data.length} bytes) than ${modelName} says (a tensor ends at byte ${end}): is it the data file exported with this model?`);
    }
    const kept = encoded.filter((f) => f.number !== TENSOR_EXTERNAL_DATA && f.number !== TENSOR_DATA_LOCATION).map((f) => f.encoded);
    return concatAll([...kept, lengthDelimited(TENSOR_RAW_DATA, data.subarray(reference.offset, end))]);
  };
  const graph = (value: Uint8Array): Uint8Array =>
    concatAll(fields(value).map((f) => (f.number === GRAPH_INITIALIZER ? lengthDelimited(GRAPH_INITIALIZER, tensor(fields(f.value!))) : f.encoded)));
  return concatAll(fields(model).map((f) => (f.number === MODEL_GRAPH ? lengthDelimited(MODEL_GRAPH, graph(f.value!)) : f.encoded)));
}
