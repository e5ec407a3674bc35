import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestError } from '../errors.ts';
import { requireModel, validateBundleIndex, validateManifest } from './validate.ts';

const sha = 'a'.repeat(64);

function validManifest() {
  return {
    format: 'cxr-studio-manifest/1',
    id: 'test-bundle',
    name: 'Test bundle',
    license: 'research only',
    classes: ['normal', 'pneumonia'],
    models: {
      segmenter: {
        task: 'segmentation',
        variants: { fp32: { file: 'seg.onnx', sha256: sha, bytes: 10 } },
        inputs: [{ name: 'image', shape: ['batch', 1, 64, 64], dtype: 'float32', range: [0, 1] }],
        outputs: [{ name: 'logits', shape: ['batch', 2, 64, 64], dtype: 'float32' }],
        preprocess: { size: 64, channels: 1, scale: 1 / 255, offset: 0 },
        postprocess: { activation: 'sigmoid', threshold: 0.5 },
        channels: [{ name: 'lung' }, { name: 'lung_shenzhen' }],
      },
      classifier: {
        task: 'classification',
        variants: {
          fp32: { file: 'cls.onnx', sha256: sha, bytes: 10 },
          fp16: { file: 'cls.fp16.onnx', sha256: sha, bytes: 5, requires: ['shader-f16'] },
        },
        inputs: [{ name: 'image', shape: ['batch', 1, 64, 64], dtype: 'float32' }],
        outputs: [{ name: 'logits', shape: ['batch', 2], dtype: 'float32' }],
        preprocess: { size: 64, channels: 1, scale: 1 / 255, offset: 0 },
        postprocess: { activation: 'softmax' },
      },
    },
  };
}

describe('validateManifest', () => {
  it('accepts a manifest in the documented format', () => {
    const manifest = validateManifest(validManifest());
    expect(manifest.models.segmenter?.channels?.map((c) => c.name)).toEqual(['lung', 'lung_shenzhen']);
  });

  it('names path, expectation and received value for each problem, all at once', () => {
    const bad = validManifest() as Record<string, unknown>;
    bad.format = 'v0';
    const seg = (bad.models as Record<string, Record<string, unknown>>).segmenter;
    seg.variants = { fp32: { file: 'seg.onnx', sha256: 'xyz', bytes: 0 } };
    seg.postprocess = { activation: 'relu' };
    let error: unknown;
    try {
      validateManifest(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const message = (error as ManifestError).message;
    expect(message).toContain('format: expected "cxr-studio-manifest/1", received "v0"');
    expect(message).toContain('models.segmenter.variants.fp32.sha256: expected 64 lowercase hex characters, received "xyz"');
    expect(message).toContain('models.segmenter.variants.fp32.bytes: expected a positive integer, received 0');
    expect(message).toContain('models.segmenter.postprocess.activation: expected one of sigmoid | softmax | none, received "relu"');
    expect((error as ManifestError).code).toBe('manifest-invalid');
  });

  it('takes a scale and an offset per input channel (ImageNet normalization), one for each channel', () => {
    const manifest = validManifest();
    manifest.models.classifier.preprocess = { size: 64, channels: 3, scale: [0.0171, 0.0175, 0.0174], offset: [-2.12, -2.04, -1.8] } as never;
    expect(validateManifest(manifest).models.classifier?.preprocess?.scale).toEqual([0.0171, 0.0175, 0.0174]);
    manifest.models.classifier.preprocess = { size: 64, channels: 3, scale: [0.0171, 0.0175], offset: [-2.12, Number.NaN, -1.8] } as never;
    expect(() => validateManifest(manifest)).toThrow('models.classifier.preprocess.scale: expected a finite number or a list of 3, one per channel, received [0.0171,0.0175]');
    expect(() => validateManifest(manifest)).toThrow('models.classifier.preprocess.offset: expected a finite number or a list of 3, one per channel');
  });

  it('takes a channels-last layout, where the segmenter output names its channels last, and refuses another word', () => {
    const manifest = validManifest();
    Object.assign(manifest.models.segmenter, { inputs: [{ name: 'image', shape: ['batch', 64, 64, 1], dtype: 'float32' }], outputs: [{ name: 'logits', shape: ['batch', 64, 64, 2], dtype: 'float32' }] });
    manifest.models.segmenter.preprocess = { ...manifest.models.segmenter.preprocess, layout: 'nhwc' } as never;
    expect(validateManifest(manifest).models.segmenter?.preprocess?.layout).toBe('nhwc');
    manifest.models.segmenter.preprocess = { ...manifest.models.segmenter.preprocess, layout: 'chw' } as never;
    expect(() => validateManifest(manifest)).toThrow('models.segmenter.preprocess.layout: expected one of nchw | nhwc, received "chw"');
  });

  it('requires channel names to match the segmenter output channels', () => {
    const bad = validManifest();
    bad.models.segmenter.channels = [{ name: 'lung' }];
    expect(() => validateManifest(bad)).toThrow('models.segmenter.channels: expected 2 entries to match outputs[0].shape[1], received 1');
  });

  it('requires an fp32 variant and rejects paths leaving the bundle', () => {
    const bad = validManifest();
    (bad.models.classifier as { variants: unknown }).variants = { int8: { file: '../x.onnx', sha256: sha, bytes: 3 } };
    expect(() => validateManifest(bad)).toThrow(/expected an "fp32" entry, received keys \[int8\]/);
    expect(() => validateManifest(bad)).toThrow(/variants.int8.file: expected a path inside the bundle/);
  });

  it('checks the optional fast generation settings', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../../public/models/cxr-studio-v1/manifest.json', import.meta.url), 'utf8'));
    shipped.diffusion.fast = { steps: 10, guidance: 5, scheduler: 'dpmpp2m', measured: 'seed 1234: 0.9' };
    expect(validateManifest(shipped).diffusion?.fast?.steps).toBe(10);
    shipped.diffusion.fast = { steps: 0, guidance: 'high', scheduler: 'euler' };
    expect(() => validateManifest(shipped)).toThrow('diffusion.fast.steps: expected a positive integer, received 0');
    expect(() => validateManifest(shipped)).toThrow('diffusion.fast.scheduler: expected one of ddim | dpmpp2m, received "euler"');
    expect(() => validateManifest(shipped)).toThrow(/diffusion\.fast\.guidance: expected a finite number/);
  });

  it('checks named presets and the one-pass UNet they may name (issue 18)', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../../public/models/cxr-studio-v1/manifest.json', import.meta.url), 'utf8'));
    const guidance = { name: 'guidance', shape: ['batch'], dtype: 'float32' };
    shipped.models.unet_guided = { ...shipped.models.unet, inputs: [...shipped.models.unet.inputs, guidance] };
    shipped.diffusion.presets = [
      { name: 'draft', label: 'Draft', steps: 5, guidance: 5, scheduler: 'ddim', unet: 'unet_guided', seconds_wasm: 0.9, measured: 'adherence 0.9' },
      { name: 'best', steps: 20, guidance: 5, scheduler: 'ddim' },
    ];
    expect(validateManifest(shipped).diffusion?.presets?.map((p) => p.name)).toEqual(['draft', 'best']);

    shipped.diffusion.presets = [
      { name: 'draft', steps: 5, guidance: 5, scheduler: 'ddim', unet: 'unet_fast', seconds_wasm: 0 },
      { name: 'draft', label: '', steps: 20, guidance: 5, scheduler: 'euler' },
    ];
    shipped.models.unet_guided.inputs = shipped.models.unet.inputs;
    shipped.diffusion.fast.unet = 'unet_guided';
    const message = (() => {
      try {
        validateManifest(shipped);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('diffusion.presets[0].unet: expected one of unet | unet_guided, received "unet_fast"');
    expect(message).toContain('diffusion.presets[0].seconds_wasm: expected seconds above 0, received 0');
    expect(message).toContain('diffusion.presets[1].name: expected a name no other preset has, received "draft" again');
    expect(message).toContain('diffusion.presets[1].label: expected a non-empty string, received ""');
    expect(message).toContain('diffusion.presets[1].scheduler: expected one of ddim | dpmpp2m, received "euler"');
    expect(message).toContain('models.unet_guided.inputs: expected an input named "guidance" (float32 [batch])');

    delete shipped.models.unet_guided;
    shipped.diffusion.presets = [{ name: 'draft', steps: 5, guidance: 5, scheduler: 'ddim', unet: 'unet_guided' }];
    expect(() => validateManifest(shipped)).toThrow(/diffusion\.presets\[0\]\.unet: expected a UNet the bundle has \(models\.unet_guided\), models has \[/);
    expect(() => validateManifest(shipped)).toThrow(/diffusion\.fast\.unet: expected a UNet the bundle has/);
  });

  it('checks the optional dataset-shift reference and that it has classifier features to score', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../../public/models/cxr-studio-v1/manifest.json', import.meta.url), 'utf8'));
    expect(validateManifest(shipped).shift?.file).toBe('shift.json');
    shipped.shift = { file: '../shift.json', sha256: 'x', bytes: 1 };
    expect(() => validateManifest(shipped)).toThrow(/shift.file: expected a path inside the bundle/);
    shipped.shift = { file: 'shift.json', sha256: 'a'.repeat(64), bytes: 1 };
    shipped.models.classifier.outputs = shipped.models.classifier.outputs.filter((o: { name: string }) => o.name !== 'features');
    expect(() => validateManifest(shipped)).toThrow('shift: expected a classifier with a "features" output, since the shift reference scores its features');
  });

  it('rejects non-objects plainly', () => {
    expect(() => validateManifest('hello')).toThrow('manifest: expected an object, received "hello"');
  });
});

describe('requireModel', () => {
  it('says which roles exist when one is missing', () => {
    const manifest = validateManifest(validManifest());
    expect(() => requireModel(manifest, 'unet')).toThrow('bundle "test-bundle" has no unet; it has [segmenter, classifier]');
  });
});

describe('validateBundleIndex', () => {
  it('accepts a list or an object with bundles', () => {
    expect(validateBundleIndex(['a', 'b'])).toEqual(['a', 'b']);
    expect(validateBundleIndex({ bundles: ['x'] })).toEqual(['x']);
  });
  it('rejects empty or odd ids', () => {
    expect(() => validateBundleIndex([])).toThrow(/expected a non-empty list of bundle ids/);
    expect(() => validateBundleIndex(['../etc'])).toThrow(ManifestError);
  });
});

describe('built-in bundles in public/models', () => {
  const root = new URL('../../../public/models/', import.meta.url);
  const ids: string[] = existsSync(new URL('index.json', root)) ? validateBundleIndex(JSON.parse(readFileSync(new URL('index.json', root), 'utf8'))) : [];
  const staged = ids.filter((id) => existsSync(new URL(`${id}/manifest.json`, root)));
  it.skipIf(staged.length === 0)(`validate (${staged.join(', ') || 'none staged: run npm run stage:models'})`, () => {
    for (const id of staged) {
      const manifest = validateManifest(JSON.parse(readFileSync(new URL(`${id}/manifest.json`, root), 'utf8')));
      expect(manifest.id).toBe(id);
    }
  });
});
