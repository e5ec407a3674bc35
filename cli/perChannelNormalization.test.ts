import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultBundleDir } from './bundle.ts';
import { evaluateFiles } from './evaluate.ts';

const EXAMPLES = resolve(import.meta.dirname, '../public/examples');
/** The shipped int8 classifier behind an undo-ImageNet-normalization front (scripts/make_imagenet_classifier.py). */
const WRAPPED = resolve(import.meta.dirname, '../testdata/user-models/classifier-imagenet.int8.onnx');
const work = mkdtempSync(join(tmpdir(), 'cxr-per-channel-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A one-model bundle of the wrapped classifier, its input normalized per channel as `preprocess` says. */
function imagenetBundle(preprocess: { scale: number | number[]; offset: number | number[] }): string {
  const shipped = JSON.parse(readFileSync(join(defaultBundleDir(), 'manifest.json'), 'utf8'));
  const bytes = readFileSync(WRAPPED);
  const dir = mkdtempSync(join(work, 'bundle-'));
  copyFileSync(WRAPPED, join(dir, 'classifier.onnx'));
  const classifier = {
    ...shipped.models.classifier,
    variants: { fp32: { file: 'classifier.onnx', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length } },
    inputs: [{ name: 'rgb', shape: ['batch', 3, 256, 256], dtype: 'float32' }],
    preprocess: { size: 256, channels: 3, ...preprocess },
  };
  const { format, name, license, classes } = shipped;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format, id: 'imagenet-wrapped', name, license, classes, models: { classifier } }));
  return dir;
}

const std = [0.229, 0.224, 0.225];
const mean = [0.485, 0.456, 0.406];

describe('a classifier that takes ImageNet-normalized RGB (scale and offset per channel)', () => {
  it('scores the example set as the shipped classifier does on gray pixel / 255, and one scale for all channels does not', async () => {
    const settings = { bootstrap: { iterations: 100, seed: 0, level: 0.95 } };
    const images = { images: join(EXAMPLES, 'images'), labels: join(EXAMPLES, 'labels.csv'), task: 'classification' as const, settings, threads: 2 };
    const shipped = await evaluateFiles({ ...images, variant: 'int8' });
    const perChannel = await evaluateFiles({ ...images, modelDir: imagenetBundle({ scale: std.map((s) => 1 / (255 * s)), offset: mean.map((m, c) => -m / std[c]) }) });
    const oneScale = await evaluateFiles({ ...images, modelDir: imagenetBundle({ scale: 1 / 255, offset: 0 }) });

    const probabilities = (run: typeof shipped) => run.cases.flatMap((c) => c.probabilities ?? []);
    const gap = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
    console.log(`${shipped.cases.length} example images: max |p| difference per channel ${gap(probabilities(perChannel), probabilities(shipped)).toExponential(2)}, one scale ${gap(probabilities(oneScale), probabilities(shipped)).toFixed(3)}`);
    expect(shipped.cases.length).toBeGreaterThan(20);
    expect(probabilities(perChannel)).toHaveLength(probabilities(shipped).length);
    expect(gap(probabilities(perChannel), probabilities(shipped))).toBeLessThan(1e-5);
    expect(perChannel.cases.map((c) => c.predictedIndex)).toEqual(shipped.cases.map((c) => c.predictedIndex));
    expect(perChannel.summary.classification?.confusion).toEqual(shipped.summary.classification?.confusion);
    expect(perChannel.summary.classification?.macro.f1).toBe(shipped.summary.classification?.macro.f1);
    // the same file with pixel / 255 on every channel: each channel off by its mean and std
    expect(gap(probabilities(oneScale), probabilities(shipped))).toBeGreaterThan(0.05);
  });
});
