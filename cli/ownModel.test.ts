import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { evaluateFiles } from './evaluate.ts';
import { describeOwnModel, run } from './ownModel.ts';

const USER_MODELS = resolve(import.meta.dirname, '../testdata/user-models');
const EXAMPLES = resolve(import.meta.dirname, '../public/examples');
const work = mkdtempSync(join(tmpdir(), 'cxr-own-model-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const lungDice = (modelDir?: string) => evaluateFiles({
  images: join(EXAMPLES, 'images'), masks: join(EXAMPLES, 'masks'), channel: 'lung', task: 'segmentation',
  settings: { bootstrap: { iterations: 100, seed: 0, level: 0.95 } }, threads: 2, ...(modelDir ? { modelDir } : { variant: 'int8' as const }),
});

describe('own-model: the form filled from the file, written as a bundle evaluate takes', () => {
  it('a channels-last segmenter: only its names and activation given; the bundle scores the shipped int8 segmenter\'s Dice', async () => {
    const out = join(work, 'nhwc');
    const report = await describeOwnModel(resolve(USER_MODELS, 'segmenter-nhwc.int8.onnx'), { names: 'lung, lung_shenzhen', activation: 'sigmoid' }, out);
    expect(report.read.filled).toEqual(['role segmenter (a 4-d output: one mask per channel)', 'channels last', '1 input channel(s)', 'input size 256 px']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.models.segmenter.inputs[0]).toEqual({ name: 'image_nhwc', shape: ['batch', 256, 256, 1], dtype: 'float32' });
    expect(manifest.models.segmenter.preprocess.layout).toBe('nhwc');
    const [own, shipped] = [await lungDice(out), await lungDice()];
    console.log(`own-model bundle of segmenter-nhwc.int8.onnx: mean Dice ${own.summary.segmentation?.meanDice} on ${own.summary.segmentation?.n} example masks; shipped int8 ${shipped.summary.segmentation?.meanDice}`);
    expect(own.summary.segmentation?.n).toBe(shipped.summary.segmentation?.n);
    expect(own.summary.segmentation?.meanDice).toBe(shipped.summary.segmentation?.meanDice);
  });

  it('a model with its weights in a separate .data file: the bundle gets both files and scores the shipped int8 segmenter\'s Dice', async () => {
    const out = join(work, 'external');
    await describeOwnModel(resolve(USER_MODELS, 'segmenter-external.onnx'), { names: 'lung, lung_shenzhen', activation: 'sigmoid' }, out);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'segmenter-external.onnx', 'segmenter-external.onnx.data']);
    const [own, shipped] = [await lungDice(out), await lungDice()];
    expect(own.summary.segmentation?.n).toBe(shipped.summary.segmentation?.n);
    expect(own.summary.segmentation?.meanDice).toBe(shipped.summary.segmentation?.meanDice);
  });

  it('a segmenter that takes uint8 pixels: the raw-pixel normalization from the file, and its input bound as uint8', async () => {
    const out = join(work, 'uint8');
    await describeOwnModel(resolve(USER_MODELS, 'segmenter-uint8.int8.onnx'), { names: 'lung, lung_shenzhen', activation: 'sigmoid' }, out);
    const segmenter = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).models.segmenter;
    expect(segmenter.inputs[0]).toMatchObject({ name: 'pixels', dtype: 'uint8' });
    expect(segmenter.preprocess).toMatchObject({ scale: 1, offset: 0 });
    expect((await lungDice(out)).summary.segmentation?.n).toBe(14);
  });

  it('refuses to write what a load would refuse, and a file that is not ONNX, in words', async () => {
    const classifier = resolve(USER_MODELS, 'classifier-imagenet.int8.onnx');
    await expect(describeOwnModel(classifier, { names: 'normal, abnormal' }, join(work, 'refused'))).rejects.toThrow('the model scores 4 classes: give 4 class names');
    await expect(describeOwnModel(resolve(EXAMPLES, 'images/kermany_person121_bacteria_576.png'), {}, join(work, 'png'))).rejects.toThrow('is not a valid ONNX model');
    await expect(run([classifier, '--normalization', 'imagnet'])).rejects.toThrow('--normalization: expected one of unit, raw, symmetric, imagenet, received "imagnet"');
  });

  it('without --out it prints what the file declares and what is left to give', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await run([resolve(USER_MODELS, 'classifier-imagenet.int8.onnx'), '--normalization', 'imagenet'])).toBe(0);
      const printed = log.mock.calls.map((c) => String(c[0]));
      expect(printed).toContain('  input "rgb" float32 [batch, 3, 256, 256]');
      expect(printed).toContain('filled in from the file: role classifier (a 2-d output: one score per class), channels first, 3 input channel(s), input size 256 px');
      expect(printed.some((line) => line.startsWith('still to give'))).toBe(false);
    } finally {
      log.mockRestore();
    }
  });
});
