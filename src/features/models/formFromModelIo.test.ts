import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../cli/nodeRunner.ts';
import { bindModelIo, type ModelIo } from '../../core/manifest/bindModelIo.ts';
import { checkImageModel } from '../../core/pipelines/analyze.ts';
import { formFromModelIo } from './formFromModelIo.ts';
import { DRAFT_DEFAULTS, parseNames, parsePerChannel, userModelManifest, type UserModelDraft, type UserModelValues } from './userModelSpec.ts';

const USER_MODELS = resolve(import.meta.dirname, '../../../testdata/user-models');
const BUNDLE = resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1');

/** What the file declares, read by onnxruntime (node here, web in the page's worker: the same metadata). */
async function declared(file: string): Promise<ModelIo> {
  const runner = await createNodeRunner(file);
  await runner.release();
  return runner.io;
}

/** The draft as the form submits it (readFormValues, without a FormData). */
function values(draft: UserModelDraft): UserModelValues {
  return {
    role: draft.role === 'segmenter' ? 'segmenter' : 'classifier',
    size: Number(draft.size), channels: Number(draft.channels), scale: parsePerChannel(draft.scale), offset: parsePerChannel(draft.offset),
    layout: draft.layout === 'nhwc' ? 'nhwc' : 'nchw', activation: draft.activation as UserModelValues['activation'], threshold: Number(draft.threshold),
    names: parseNames(draft.names), inputName: draft.inputName, outputName: draft.outputName,
  };
}

/** The draft completed as the file says, bound to the file's declared tensors and checked as the worker does at load. */
function loads(draft: UserModelDraft, io: ModelIo): void {
  const { spec } = userModelManifest({ ...values(draft), fileName: 'model.onnx', bytes: 1, sha256: '0'.repeat(64) });
  checkImageModel(draft.role, bindModelIo(spec, io, draft.role));
}

describe('the own-model form read from a real ONNX file', () => {
  it('the shipped segmenter: role, size, channels and order from the file; its two channel names are the user\'s', async () => {
    const io = await declared(resolve(BUNDLE, 'segmenter.int8.onnx'));
    const read = formFromModelIo(io, DRAFT_DEFAULTS);
    expect(read.declared).toEqual(['input "image" float32 [batch, 1, 256, 256]', 'output "logits" float32 [batch, 2, 256, 256]']);
    expect(read.patch).toEqual({ role: 'segmenter' });
    expect(read.filled).toEqual(['role segmenter (a 4-d output: one mask per channel)', 'channels first', '1 input channel(s)', 'input size 256 px']);
    expect(read.todo).toEqual(['the normalization the model was trained with (the file does not say)', 'give 2 mask channel name(s), in the output\'s order']);
    expect(read.problems).toEqual([]);
    const draft = { ...DRAFT_DEFAULTS, ...read.patch, names: 'lung, lung_shenzhen', activation: 'sigmoid' };
    expect(() => loads(draft, io)).not.toThrow();
  });

  it('a channels-last segmenter: the order, its channel count and size read from [batch, 256, 256, 1]', async () => {
    const io = await declared(resolve(USER_MODELS, 'segmenter-nhwc.int8.onnx'));
    const read = formFromModelIo(io, { ...DRAFT_DEFAULTS, size: '512', channels: '3' });
    expect(read.patch).toEqual({ role: 'segmenter', layout: 'nhwc', channels: '1', size: '256' });
    expect(read.filled).toContain('channels last');
    const draft = { ...DRAFT_DEFAULTS, ...read.patch, names: 'lung, lung_shenzhen' };
    expect(() => loads(draft, io)).not.toThrow();
    // the form as it was before the file was read is refused at load
    expect(() => loads({ ...draft, layout: 'nchw' }, io)).toThrow('change the channel order');
  });

  it('a segmenter that takes uint8 pixels: the raw-pixel normalization, which load requires', async () => {
    const io = await declared(resolve(USER_MODELS, 'segmenter-uint8.int8.onnx'));
    const read = formFromModelIo(io, DRAFT_DEFAULTS);
    expect(read.patch).toEqual({ role: 'segmenter', scale: '1' }); // offset 0 already
    expect(read.filled).toContain('normalization 0..255 (the input is uint8 pixels)');
    expect(read.todo).not.toContain('the normalization the model was trained with (the file does not say)');
    const draft = { ...DRAFT_DEFAULTS, ...read.patch, names: 'lung, lung_shenzhen' };
    expect(() => loads(draft, io)).not.toThrow();
    expect(() => loads({ ...draft, scale: DRAFT_DEFAULTS.scale }, io)).toThrow('takes uint8 pixels');
  });

  it('a segmenter converted to float16 (halves in and out): no problem, and load binds both sides to float16', async () => {
    const io = await declared(resolve(USER_MODELS, 'segmenter-float16.int8.onnx'));
    const read = formFromModelIo(io, DRAFT_DEFAULTS);
    expect(read.declared).toEqual(['input "image_half" float16 [batch, 1, 256, 256]', 'output "logits_half" float16 [batch, 2, 256, 256]']);
    expect(read.patch).toEqual({ role: 'segmenter' });
    expect(read.problems).toEqual([]);
    const draft = { ...DRAFT_DEFAULTS, ...read.patch, names: 'lung, lung_shenzhen' };
    const { spec } = userModelManifest({ ...values(draft), fileName: 'model.onnx', bytes: 1, sha256: '0'.repeat(64) });
    const bound = bindModelIo(spec, io, 'segmenter');
    expect([bound.inputs[0].dtype, bound.outputs[0].dtype]).toEqual(['float16', 'float16']);
    expect(() => checkImageModel('segmenter', bound)).not.toThrow();
  });

  it('a classifier whose scores are [batch, 4, 1, 1]: role classifier with 4 class names to give, and it loads', async () => {
    const io = await declared(resolve(USER_MODELS, 'classifier-1x1.int8.onnx'));
    const read = formFromModelIo(io, { ...DRAFT_DEFAULTS, role: 'segmenter' });
    expect(read.declared).toEqual(['input "image" float32 [batch, 1, 256, 256]', 'output "scores" float32 [batch, 4, 1, 1]']);
    expect(read.patch).toEqual({ role: 'classifier' });
    expect(read.filled[0]).toBe('role classifier (a [batch, 4, 1, 1] output: one score per class)');
    expect(read.problems).toEqual([]);
    // the default names are four: nothing left to give but the normalization
    expect(read.todo).toEqual(['the normalization the model was trained with (the file does not say)']);
    expect(() => loads({ ...DRAFT_DEFAULTS, ...read.patch }, io)).not.toThrow();
    expect(() => loads({ ...DRAFT_DEFAULTS, ...read.patch, names: 'a, b, c' }, io)).toThrow('the model scores 4 classes: give 4 class names');
  });

  it('an RGB classifier: 3 channels; its first output has 4 scores, as many as the default names; the one-logit output asks for sigmoid and two names', async () => {
    const io = await declared(resolve(USER_MODELS, 'classifier-imagenet.int8.onnx'));
    const first = formFromModelIo(io, { ...DRAFT_DEFAULTS, role: 'segmenter' });
    expect(first.patch).toEqual({ role: 'classifier', channels: '3' });
    expect(first.todo).toEqual(['the normalization the model was trained with (the file does not say)']);
    expect(() => loads({ ...DRAFT_DEFAULTS, ...first.patch }, io)).not.toThrow();

    const oneLogit = formFromModelIo(io, { ...DRAFT_DEFAULTS, outputName: 'abnormal_logit' });
    expect(oneLogit.patch).toEqual({ channels: '3', activation: 'sigmoid' });
    expect(oneLogit.todo).toContain('give 2 class names: the class it does not score, then the one it scores');
    expect(() => loads({ ...DRAFT_DEFAULTS, ...oneLogit.patch, names: 'normal, abnormal' }, io)).not.toThrow();
  });
});

describe('formFromModelIo on declared tensors the fixtures do not have', () => {
  const image = (shape: ModelIo['inputs'][number]['shape'], type = 'float32') => ({ name: 'x', shape, type });
  const scores = { name: 'y', shape: ['batch', 3], type: 'float32' };

  it('names a non-square, an int32 and a second input as reasons the model cannot be used, and leaves the size alone', () => {
    const read = formFromModelIo({ inputs: [image(['batch', 3, 224, 320], 'int32'), image(['batch', 1])], outputs: [{ ...scores, type: 'int64' }] }, DRAFT_DEFAULTS);
    expect(read.problems).toEqual([
      'the model takes 2 inputs and the studio feeds one image: this model cannot be used as it is',
      'the model takes a non-square 224 x 320 input, and the studio feeds square images: this model cannot be used as it is',
      'the input is int32, and the studio feeds float32, float16 or uint8 pixels: export it with a float32 input',
      'the output is int64, and the studio reads float32 or float16: export it with a float32 output',
    ]);
    expect(read.patch.size).toBeUndefined();
    expect(read.todo).toContain('give 3 class names, in the output\'s order');
  });

  it('a symbolic size is left to the user; a name typed for another file is cleared', () => {
    const read = formFromModelIo({ inputs: [image(['batch', 1, 'height', 'width'])], outputs: [scores] }, { ...DRAFT_DEFAULTS, inputName: 'pixel_values', names: 'a, b, c' });
    expect(read.patch).toEqual({ inputName: '' });
    expect(read.filled[0]).toBe('input name cleared ("pixel_values" is not one of the model\'s inputs; the first, "x", is used)');
    expect(read.todo).toEqual(['the input size: the model takes any size, so give the one it was trained at', 'the normalization the model was trained with (the file does not say)']);
  });

  it('a 2-d input or an undeclared output shape is said in words', () => {
    const read = formFromModelIo({ inputs: [image(['batch', 65536])], outputs: [{ name: 'y' }] }, DRAFT_DEFAULTS);
    expect(read.problems).toEqual(['the model\'s input has 2 dimensions; the studio feeds one image as [batch, channels, height, width] or [batch, height, width, channels]']);
    expect(read.todo[0]).toBe('the role (the model does not declare its output shape)');
    expect(read.declared).toEqual(['input "x" float32 [batch, 65536]', 'output "y" of unknown type (shape not declared)']);
  });
});
