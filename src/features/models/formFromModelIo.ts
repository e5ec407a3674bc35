import { unitSpatialScores, type DeclaredTensor, type ModelIo } from '../../core/manifest/bindModelIo.ts';
import type { Dim } from '../../core/manifest/types.ts';
import { NORMALIZATIONS, parseNames, type UserModelDraft } from './userModelSpec.ts';

/** What the picked ONNX file says about the own-model form: the fields it settles, and what is left to the user. */
export interface FormFromFile {
  /** The draft fields the file settles (only those that change). */
  patch: Partial<UserModelDraft>;
  /** Each declared input and output, as `input "image" float32 [batch, 1, 256, 256]`. */
  declared: string[];
  /** The fields set from the file, in words ("role segmenter", "input size 256"). */
  filled: string[];
  /** What the file cannot say and the user still has to give. */
  todo: string[];
  /** Why the studio cannot use this model as it is, where the file already says so. */
  problems: string[];
}

const known = (d: Dim | undefined): d is number => typeof d === 'number' && d > 0;
/** A channel axis: a fixed size of 1 to 4 (grayscale, RGB, RGBA). */
const channelAxis = (d: Dim | undefined): d is number => known(d) && d <= 4;

function describe(kind: 'input' | 'output', t: DeclaredTensor): string {
  return `${kind} "${t.name}" ${t.type ?? 'of unknown type'} ${t.shape ? `[${t.shape.join(', ')}]` : '(shape not declared)'}`;
}

/**
 * Read the own-model form's fields from what the model file declares (ORT's input and output
 * metadata, as the worker reads it on pick), the way bindModelIo will check them at load: the
 * input and output the form names, else the model's first. The file settles the role (a 2-d
 * output, or a 4-d one of 1 x 1, is a classifier's scores, another 4-d one a segmenter's masks),
 * the channel order, size and count of a 4-d image input, the raw-pixel normalization of a uint8
 * input, and the sigmoid of a classifier with one output (float16 inputs and outputs are fed and
 * read as halves). It cannot say how a float input was normalized or what the classes are called:
 * those stay the user's, listed in `todo` (the normalization not where `given` says the user
 * already gave the scale, as the CLI's options do).
 */
export function formFromModelIo(io: ModelIo, draft: Readonly<UserModelDraft>, given: ReadonlySet<keyof UserModelDraft> = new Set()): FormFromFile {
  const next: UserModelDraft = { ...draft };
  const filled: string[] = [];
  const todo: string[] = [];
  const problems: string[] = [];
  const declared = [...io.inputs.map((t) => describe('input', t)), ...io.outputs.map((t) => describe('output', t))];

  const input = pick(io.inputs, draft.inputName, 'input', next, filled);
  const output = pick(io.outputs, draft.outputName, 'output', next, filled);
  if (io.inputs.length > 1) {
    problems.push(`the model takes ${io.inputs.length} inputs and the studio feeds one image: this model cannot be used as it is`);
  }

  // a 1x1 convolution head exported without its flatten: [batch, classes, 1, 1] or [batch, 1, 1, classes]
  const unflattened = unitSpatialScores(output?.shape);
  const outputShape = unflattened ?? output?.shape;
  if (unflattened) set(next, filled, 'role', 'classifier', `role classifier (a [${output!.shape!.join(', ')}] output: one score per class)`);
  else if (outputShape?.length === 2) set(next, filled, 'role', 'classifier', 'role classifier (a 2-d output: one score per class)');
  else if (outputShape?.length === 4) set(next, filled, 'role', 'segmenter', 'role segmenter (a 4-d output: one mask per channel)');
  else todo.push(outputShape ? `the role: a ${outputShape.length}-d output is neither a classifier's [batch, classes] nor a segmenter's 4-d masks` : 'the role (the model does not declare its output shape)');

  const shape = input?.shape;
  if (shape?.length === 4) {
    // the channel axis is the small one: dimension 1 when it is 1-4, else the last (bindModelIo reads it the same way)
    const first = channelAxis(shape[1]) || !channelAxis(shape[3]);
    const [channels, height, width] = first ? [shape[1], shape[2], shape[3]] : [shape[3], shape[1], shape[2]];
    if (channelAxis(shape[1]) || channelAxis(shape[3])) {
      set(next, filled, 'layout', first ? 'nchw' : 'nhwc', first ? 'channels first' : 'channels last');
    }
    if (known(channels)) set(next, filled, 'channels', String(channels), `${channels} input channel(s)`);
    if (known(height) && known(width) && height !== width) {
      problems.push(`the model takes a non-square ${height} x ${width} input, and the studio feeds square images: this model cannot be used as it is`);
    } else if (known(height)) {
      set(next, filled, 'size', String(height), `input size ${height} px`);
    } else {
      todo.push('the input size: the model takes any size, so give the one it was trained at');
    }
  } else if (input) {
    problems.push(`the model's input ${shape ? `has ${shape.length} dimensions` : 'declares no shape'}; the studio feeds one image as [batch, channels, height, width] or [batch, height, width, channels]`);
  }

  if (input?.type === 'uint8') {
    next.scale = NORMALIZATIONS.raw.scale;
    next.offset = NORMALIZATIONS.raw.offset;
    filled.push('normalization 0..255 (the input is uint8 pixels)');
  } else if (input?.type && input.type !== 'float32' && input.type !== 'float16') {
    problems.push(`the input is ${input.type}, and the studio feeds float32, float16 or uint8 pixels: export it with a float32 input`);
  } else if (!given.has('scale')) {
    todo.push('the normalization the model was trained with (the file does not say)');
  }
  if (output?.type && output.type !== 'float32' && output.type !== 'float16') {
    problems.push(`the output is ${output.type}, and the studio reads float32 or float16: export it with a float32 output`);
  }

  if (outputShape?.length === 2) {
    const count = outputShape[1];
    if (count === 1) {
      set(next, filled, 'activation', 'sigmoid', 'sigmoid activation (one output: a binary classifier)');
      namesTodo(next, 2, 'give 2 class names: the class it does not score, then the one it scores', todo);
    } else if (known(count)) {
      namesTodo(next, count, `give ${count} class names, in the output's order`, todo);
    } else {
      todo.push('the class names, in the output\'s order');
    }
  } else if (outputShape?.length === 4) {
    const count = next.layout === 'nhwc' ? outputShape[3] : outputShape[1];
    if (known(count)) namesTodo(next, count, `give ${count} mask channel name(s), in the output's order`, todo);
    else todo.push('the mask channel names, in the output\'s order');
  }

  const patch = Object.fromEntries(Object.entries(next).filter(([key, value]) => draft[key as keyof UserModelDraft] !== value)) as Partial<UserModelDraft>;
  return { patch, declared, filled, todo, problems };
}

/** The tensor the form names, else the model's first; a name the model does not have (left from another file) is cleared. */
function pick(tensors: readonly DeclaredTensor[], name: string, kind: 'input' | 'output', next: UserModelDraft, filled: string[]): DeclaredTensor | undefined {
  const field = kind === 'input' ? 'inputName' : 'outputName';
  if (name && tensors.some((t) => t.name === name)) return tensors.find((t) => t.name === name);
  if (name) {
    next[field] = '';
    filled.push(`${kind} name cleared ("${name}" is not one of the model's ${kind}s; the first, "${tensors[0]?.name}", is used)`);
  }
  return tensors[0];
}

function set<K extends keyof UserModelDraft>(next: UserModelDraft, filled: string[], key: K, value: UserModelDraft[K], words: string) {
  next[key] = value;
  filled.push(words);
}

/** Names are the user's to give; say so only where the typed ones do not fit the count. */
function namesTodo(next: UserModelDraft, count: number, words: string, todo: string[]) {
  if (parseNames(next.names).length !== count) todo.push(words);
}
