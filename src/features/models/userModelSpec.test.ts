import { describe, expect, it } from 'vitest';
import { parseNames, userModelManifest, type UserModelForm } from './userModelSpec.ts';

const base: UserModelForm = {
  role: 'classifier', fileName: 'my.onnx', bytes: 100, sha256: 'c'.repeat(64), size: 224, channels: 3,
  scale: 1 / 127.5, offset: -1, activation: 'softmax', threshold: 0.5, names: ['normal', 'abnormal'], inputName: '', outputName: '',
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
  it('parses comma-separated names', () => {
    expect(parseNames(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  });
});
