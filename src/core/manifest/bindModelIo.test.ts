import { describe, expect, it } from 'vitest';
import { bindModelIo, type ModelIo } from './bindModelIo.ts';
import type { ModelSpec } from './types.ts';

// What the "your own model" form makes of cxr-studio-v1's segmenter (names left blank), and what its ONNX graph declares.
const spec: ModelSpec = {
  task: 'segmentation',
  variants: { fp32: { file: 'segmenter.int8.onnx', sha256: 'a'.repeat(64), bytes: 1 } },
  inputs: [{ name: '', shape: ['batch', 1, 256, 256], dtype: 'float32' }],
  outputs: [{ name: '', shape: ['batch', 2, 'height', 'width'], dtype: 'float32' }],
  preprocess: { size: 256, channels: 1, scale: 1 / 255, offset: 0 },
  postprocess: { activation: 'sigmoid', threshold: 0.5 },
  channels: [{ name: 'lung' }, { name: 'lung_shenzhen' }],
};
const io: ModelIo = {
  inputs: [{ name: 'image', shape: ['batch', 1, 256, 256] }],
  outputs: [{ name: 'logits', shape: ['batch', 2, 256, 256] }],
};

describe('bindModelIo', () => {
  it('fills blank names with the model first input and output', () => {
    const bound = bindModelIo(spec, io, 'segmenter');
    expect(bound.inputs[0]).toMatchObject({ name: 'image', shape: ['batch', 1, 256, 256] });
    expect(bound.outputs[0]).toMatchObject({ name: 'logits', shape: ['batch', 2, 'height', 'width'] });
  });
  it('keeps given names that the model has', () => {
    const named = { ...spec, inputs: [{ ...spec.inputs[0], name: 'image' }], outputs: [{ ...spec.outputs[0], name: 'logits' }] };
    expect(bindModelIo(named, io, 'segmenter').outputs[0].name).toBe('logits');
  });
  it('names the model tensors when a given name is not among them', () => {
    const wrong = { ...spec, inputs: [{ ...spec.inputs[0], name: 'x' }] };
    expect(() => bindModelIo(wrong, io, 'segmenter')).toThrow('segmenter: the form names input "x", the model\'s inputs are [image]');
  });
  it('refuses a size, channel count or rank that the model fixes otherwise', () => {
    expect(() => bindModelIo(spec, { ...io, inputs: [{ name: 'image', shape: [1, 1, 224, 224] }] }, 'segmenter'))
      .toThrow('segmenter input "image": the form gives [batch, 1, 256, 256], the model declares [1, 1, 224, 224]; the model takes 224 px: set the input size to 224');
    expect(() => bindModelIo(spec, { ...io, inputs: [{ name: 'image', shape: ['batch', 320, 256, 1] }] }, 'segmenter'))
      .toThrow('the model declares [batch, 320, 256, 1]; the model takes a non-square 320 x 256 input, and the studio feeds square images (the X-ray padded to a square): this model cannot be used as it is');
    expect(() => bindModelIo(spec, { ...io, inputs: [{ name: 'image', shape: ['batch', 3, 256, 256] }] }, 'segmenter'))
      .toThrow('the model declares [batch, 3, 256, 256]; the model takes 3 channel(s): set the input channels to 3');
    expect(() => bindModelIo(spec, { ...io, outputs: [{ name: 'logits', shape: ['batch', 3, 256, 256] }] }, 'segmenter'))
      .toThrow('segmenter output "logits": the form gives [batch, 2, height, width], the model declares [batch, 3, 256, 256]; the model gives 3 mask channels: give 3 channel names');
    const fourClasses = { ...spec, outputs: [{ name: '', shape: ['batch', 4], dtype: 'float32' as const }] };
    expect(() => bindModelIo(fourClasses, { ...io, outputs: [{ name: 'logits', shape: ['batch', 3] }] }, 'classifier'))
      .toThrow('classifier output "logits": the form gives [batch, 4], the model declares [batch, 3]; the model scores 3 classes: give 3 class names');
    // a Keras export declares channels last: the message says which choice to change
    expect(() => bindModelIo(spec, { ...io, inputs: [{ name: 'image', shape: ['N', 256, 256, 1] }] }, 'segmenter'))
      .toThrow('segmenter input "image": the form gives [batch, 1, 256, 256], the model declares [N, 256, 256, 1]; the model has its channels on the other side: change the channel order');
    expect(() => bindModelIo(spec, { ...io, outputs: [{ name: 'logits', shape: ['batch', 2] }] }, 'segmenter')).toThrow('segmenter output "logits": the form gives [batch, 2, height, width], the model declares [batch, 2]');
    // a binary classifier's one logit, described with a softmax over two names
    const classifier = { ...spec, outputs: [{ name: '', shape: ['batch', 2], dtype: 'float32' as const }] };
    expect(() => bindModelIo(classifier, { ...io, outputs: [{ name: 'logit', shape: ['batch', 1] }] }, 'classifier'))
      .toThrow('classifier output "logit": the form gives [batch, 2], the model declares [batch, 1]; one output for two classes needs the sigmoid activation');
  });
  it('binds a uint8 input (pixels as they are) and float16 inputs and outputs, and refuses other element types with what to export', () => {
    const uint8 = bindModelIo(spec, { ...io, inputs: [{ name: 'pixels', shape: ['batch', 1, 256, 256], type: 'uint8' }] }, 'segmenter');
    expect(uint8.inputs[0]).toMatchObject({ name: 'pixels', dtype: 'uint8' });
    expect(bindModelIo(spec, { inputs: [{ ...io.inputs[0], type: 'float32' }], outputs: [{ ...io.outputs[0], type: 'float32' }] }, 'segmenter').inputs[0].dtype).toBe('float32');
    const half = bindModelIo(spec, { inputs: [{ ...io.inputs[0], type: 'float16' }], outputs: [{ ...io.outputs[0], type: 'float16' }] }, 'segmenter');
    expect([half.inputs[0].dtype, half.outputs[0].dtype]).toEqual(['float16', 'float16']);
    expect(() => bindModelIo(spec, { ...io, outputs: [{ name: 'logits', shape: ['batch', 2, 256, 256], type: 'uint8' }] }, 'segmenter'))
      .toThrow('segmenter output "logits": the model declares uint8, the studio reads float32 or float16; export it with a float32 output');
    expect(() => bindModelIo(spec, { ...io, inputs: [{ name: 'image', shape: ['batch', 1, 256, 256], type: 'int64' }] }, 'classifier'))
      .toThrow('classifier input "image": the model declares int64, the studio feeds float32, float16 or uint8 pixels; export it with a float32 input');
  });
  it('binds a classifier\'s scores given as [batch, classes, 1, 1] or [batch, 1, 1, classes] (a 1x1 convolution head, not flattened)', () => {
    const classifier = { ...spec, task: 'classification' as const, outputs: [{ name: '', shape: ['batch', 4], dtype: 'float32' as const }] };
    const scores = (shape: ModelIo['outputs'][number]['shape']) => ({ ...io, outputs: [{ name: 'scores', shape }] });
    expect(bindModelIo(classifier, scores(['batch', 4, 1, 1]), 'classifier').outputs[0]).toMatchObject({ name: 'scores', shape: ['batch', 4, 1, 1] });
    expect(bindModelIo(classifier, scores(['n', 1, 1, 4]), 'classifier').outputs[0]).toMatchObject({ name: 'scores', shape: ['batch', 1, 1, 4] });
    expect(() => bindModelIo(classifier, scores(['batch', 3, 1, 1]), 'classifier'))
      .toThrow('classifier output "scores": the form gives [batch, 4], the model declares [batch, 3, 1, 1]; the model scores 3 classes: give 3 class names');
    // spatial sizes other than 1 are a segmenter's masks, not scores
    expect(() => bindModelIo(classifier, scores(['batch', 4, 8, 8]), 'classifier')).toThrow('the form gives [batch, 4], the model declares [batch, 4, 8, 8]');
    // a segmenter's 4-d output is compared as it is
    expect(() => bindModelIo(spec, scores(['batch', 2, 1, 1]), 'segmenter')).not.toThrow();
  });
  it('leaves dimensions the model does not fix, or does not declare, to the first run', () => {
    expect(() => bindModelIo(spec, { inputs: [{ name: 'image', shape: ['n', 'c', 'h', 'w'] }], outputs: [{ name: 'logits' }] }, 'segmenter')).not.toThrow();
  });
});
