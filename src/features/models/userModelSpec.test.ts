import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NORMALIZATIONS, parseNames, parsePerChannel, readFormValues, readUserModel, userModelManifest, type UserModelForm } from './userModelSpec.ts';

const BUNDLE = resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1');

const base: UserModelForm = {
  role: 'classifier', fileName: 'my.onnx', bytes: 100, sha256: 'c'.repeat(64), size: 224, channels: 3,
  scale: 1 / 127.5, offset: -1, layout: 'nchw', activation: 'softmax', threshold: 0.5, names: ['normal', 'abnormal'], inputName: '', outputName: '',
};

describe('userModelManifest', () => {
  it('builds a classifier spec with the form values and keeps blank names blank for the worker to fill', () => {
    const { spec, classes, manifest } = userModelManifest(base);
    expect(classes).toEqual(['normal', 'abnormal']);
    expect(manifest.classes).toEqual(['normal', 'abnormal']);
    expect(spec.inputs[0]).toEqual({ name: '', shape: ['batch', 3, 224, 224], dtype: 'float32' });
    expect(spec.outputs[0].shape).toEqual(['batch', 2]);
    expect(spec.preprocess).toEqual({ size: 224, channels: 3, scale: 1 / 127.5, offset: -1 });
  });
  it('builds a segmenter with named channels and a symbolic output size', () => {
    const { spec } = userModelManifest({ ...base, role: 'segmenter', names: ['lung'], activation: 'sigmoid', inputName: 'x', outputName: 'y' });
    expect(spec.channels).toEqual([{ name: 'lung' }]);
    expect(spec.outputs[0]).toMatchObject({ name: 'y', shape: ['batch', 1, 'height', 'width'] });
  });
  it('rejects impossible forms with the manifest validator words', () => {
    expect(() => userModelManifest({ ...base, size: 0 })).toThrow('models.classifier.preprocess.size: expected a positive integer, received 0');
    expect(() => userModelManifest({ ...base, names: [] })).toThrow(/classes: expected a list with at least 1 item/);
  });
  it('puts the channel axis last for a channels-last (TensorFlow, Keras) model, in its input and a segmenter\'s output', () => {
    const { spec } = userModelManifest({ ...base, layout: 'nhwc' });
    expect(spec.inputs[0].shape).toEqual(['batch', 224, 224, 3]);
    expect(spec.preprocess?.layout).toBe('nhwc');
    const seg = userModelManifest({ ...base, layout: 'nhwc', role: 'segmenter', names: ['lung', 'lesion'], activation: 'sigmoid' }).spec;
    expect(seg.outputs[0].shape).toEqual(['batch', 'height', 'width', 2]);
    expect(seg.channels).toEqual([{ name: 'lung' }, { name: 'lesion' }]);
  });
  it('parses comma-separated names', () => {
    expect(parseNames(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  });
  it('reads scale and offset as one number or one per channel, and names a list that does not fit the channels', () => {
    expect(parsePerChannel(' 0.5 ')).toBe(0.5);
    expect(parsePerChannel('1, 2,3')).toEqual([1, 2, 3]);
    expect(parsePerChannel('1,,3')).toEqual([1, Number.NaN, 3]);
    const imagenet = { scale: parsePerChannel(NORMALIZATIONS.imagenet.scale), offset: parsePerChannel(NORMALIZATIONS.imagenet.offset) };
    expect(userModelManifest({ ...base, ...imagenet }).spec.preprocess).toEqual({ size: 224, channels: 3, ...imagenet });
    // pixel 51 = 0.2 after / 255, then torchvision's (x - mean) / std per channel
    const red = (imagenet.scale as number[])[0] * 51 + (imagenet.offset as number[])[0];
    expect(NORMALIZATIONS.imagenet.scale).toBe('0.017124754, 0.017507003, 0.017429194');
    expect(red).toBeCloseTo((0.2 - 0.485) / 0.229, 6);
    expect(() => userModelManifest({ ...base, channels: 1, ...imagenet })).toThrow('models.classifier.preprocess.scale: expected a finite number or a list of 1, one per channel');
    expect(() => userModelManifest({ ...base, offset: parsePerChannel('-1, x, -1') })).toThrow('models.classifier.preprocess.offset: expected a finite number or a list of 3, one per channel, received [-1,null,-1]');
  });
});

describe('readFormValues and readUserModel', () => {
  // The form filled in for cxr-studio-v1's int8 segmenter, as the Evaluate e2e test does.
  const data = new FormData();
  for (const [k, v] of Object.entries({ role: 'segmenter', size: '256', channels: '1', scale: String(1 / 255), offset: '0', activation: 'sigmoid', threshold: '0.5', names: 'lung, lung_shenzhen', inputName: ' image ', outputName: '' })) data.set(k, v);

  it('reads the submitted fields as numbers, names and trimmed tensor names', () => {
    expect(readFormValues(data)).toEqual({
      role: 'segmenter', size: 256, channels: 1, scale: 1 / 255, offset: 0, layout: 'nchw', activation: 'sigmoid', threshold: 0.5,
      names: ['lung', 'lung_shenzhen'], inputName: 'image', outputName: '',
    });
  });

  it('hashes the file bytes and names the file in the manifest, so a run can say which model it scored', async () => {
    const manifest = JSON.parse(readFileSync(resolve(BUNDLE, 'manifest.json'), 'utf8'));
    const int8 = manifest.models.segmenter.variants.int8;
    const file = new File([readFileSync(resolve(BUNDLE, int8.file))], int8.file);
    const model = await readUserModel(file, readFormValues(data));
    expect(model.sha256).toBe(int8.sha256);
    expect(model.buffer.byteLength).toBe(int8.bytes);
    expect(model.manifest.id).toBe('user-segmenter.int8.onnx');
    expect(model.spec.variants.fp32).toEqual({ file: 'segmenter.int8.onnx', sha256: int8.sha256, bytes: int8.bytes });
    expect(model.spec.channels).toEqual([{ name: 'lung' }, { name: 'lung_shenzhen' }]);
  });
});
