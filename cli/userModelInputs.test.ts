import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultBundleDir } from './bundle.ts';
import { evaluateFiles } from './evaluate.ts';

const EXAMPLES = resolve(import.meta.dirname, '../public/examples');
/** The shipped int8 models as users' own models often take their input (scripts/make_user_model_fixtures.py). */
const USER_MODELS = resolve(import.meta.dirname, '../testdata/user-models');
const work = mkdtempSync(join(tmpdir(), 'cxr-user-model-inputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A one-model bundle of a testdata/user-models file in place of the shipped model of `role`, with its own input, output and preprocess. */
function bundleWith(
  role: 'classifier' | 'segmenter',
  file: string,
  io: { input: string; output: string; outShape: Array<string | number>; inputType?: 'float32' | 'uint8' },
  preprocess: Record<string, unknown>,
  overrides: { classes?: string[]; postprocess?: Record<string, unknown> } = {},
): string {
  const shipped = JSON.parse(readFileSync(join(defaultBundleDir(), 'manifest.json'), 'utf8'));
  const bytes = readFileSync(file);
  const dir = mkdtempSync(join(work, 'bundle-'));
  copyFileSync(file, join(dir, 'model.onnx'));
  const channels = (preprocess.channels as number | undefined) ?? 1;
  const model = {
    ...shipped.models[role],
    variants: { fp32: { file: 'model.onnx', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length } },
    inputs: [{ name: io.input, shape: preprocess.layout === 'nhwc' ? ['batch', 256, 256, channels] : ['batch', channels, 256, 256], dtype: io.inputType ?? 'float32' }],
    outputs: [{ name: io.output, shape: io.outShape, dtype: 'float32' }],
    preprocess: { ...shipped.models[role].preprocess, ...preprocess },
    ...(overrides.postprocess ? { postprocess: overrides.postprocess } : {}),
  };
  const { format, name, license } = shipped;
  const classes = overrides.classes ?? shipped.classes;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format, id: `user-${role}`, name, license, classes, models: { [role]: model } }));
  return dir;
}

const std = [0.229, 0.224, 0.225];
const mean = [0.485, 0.456, 0.406];
const IMAGENET = { channels: 3, scale: std.map((s) => 1 / (255 * s)), offset: mean.map((m, c) => -m / std[c]) };

/** A classifier that takes ImageNet-normalized RGB, described with ImageNet's scale and offset unless `preprocess` says otherwise. */
const imagenetBundle = (preprocess: { scale?: number | number[]; offset?: number | number[] } = {}) =>
  bundleWith('classifier', resolve(USER_MODELS, 'classifier-imagenet.int8.onnx'), { input: 'rgb', output: 'logits', outShape: ['batch', 4] }, { ...IMAGENET, ...preprocess });

const SETTINGS = { bootstrap: { iterations: 100, seed: 0, level: 0.95 } };
/** The example set as a classification test set, and as a segmentation one (lung masks). */
const LABELLED = { images: join(EXAMPLES, 'images'), labels: join(EXAMPLES, 'labels.csv'), task: 'classification' as const, settings: SETTINGS, threads: 2 };
const MASKED = { images: join(EXAMPLES, 'images'), masks: join(EXAMPLES, 'masks'), task: 'segmentation' as const, channel: 'lung', settings: SETTINGS, threads: 2 };

/** A run made the first time a test asks for it and shared by the tests after it (they only read it). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
/** What every own model here is compared with: the shipped int8 models on the example set. */
const shippedClassifier = once(() => evaluateFiles({ ...LABELLED, variant: 'int8' }));
const shippedSegmenter = once(() => evaluateFiles({ ...MASKED, variant: 'int8' }));
const float16Bundle = () => bundleWith('segmenter', resolve(USER_MODELS, 'segmenter-float16.int8.onnx'), { input: 'image_half', output: 'logits_half', outShape: ['batch', 2, 'height', 'width'] }, {});
const float16Segmenter = once(() => evaluateFiles({ ...MASKED, modelDir: float16Bundle() }));

describe('a classifier that takes ImageNet-normalized RGB (scale and offset per channel)', () => {
  it('scores the example set as the shipped classifier does on gray pixel / 255, and one scale for all channels does not', async () => {
    const images = LABELLED;
    const shipped = await shippedClassifier();
    const perChannel = await evaluateFiles({ ...images, modelDir: imagenetBundle() });
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

describe('a segmenter that keeps its channels last (TensorFlow, Keras): input [batch, 256, 256, 1], output [batch, 256, 256, 2]', () => {
  it('gives the shipped segmenter\'s Dice on the example masks when read channels-last', async () => {
    const images = MASKED;
    const shipped = await shippedSegmenter();
    const last = await evaluateFiles({
      ...images,
      modelDir: bundleWith('segmenter', resolve(USER_MODELS, 'segmenter-nhwc.int8.onnx'), { input: 'image_nhwc', output: 'logits_nhwc', outShape: ['batch', 256, 256, 2] }, { layout: 'nhwc' }),
    });
    console.log(`${shipped.summary.segmentation?.n} example masks: mean Dice shipped ${shipped.summary.segmentation?.meanDice}, channels-last ${last.summary.segmentation?.meanDice}`);
    expect(shipped.summary.segmentation?.n).toBeGreaterThan(5);
    expect(last.cases.map((c) => c.dice)).toEqual(shipped.cases.map((c) => c.dice));
  });
});

describe('a segmenter that takes the 0..255 pixels as uint8 and normalizes inside its graph', () => {
  const uint8Bundle = (preprocess: Record<string, unknown>) =>
    bundleWith('segmenter', resolve(USER_MODELS, 'segmenter-uint8.int8.onnx'), { input: 'pixels', output: 'logits', outShape: ['batch', 2, 'height', 'width'], inputType: 'uint8' }, preprocess);
  const images = MASKED;

  it('is fed the rounded pixels and gives the shipped segmenter\'s Dice on the example masks', async () => {
    const shipped = await shippedSegmenter();
    const raw = await evaluateFiles({ ...images, modelDir: uint8Bundle({ scale: 1, offset: 0 }) });
    const scored = (run: typeof shipped) => run.cases.filter((c) => typeof c.dice === 'number');
    const gap = Math.max(...scored(raw).map((c, i) => Math.abs(c.dice! - scored(shipped)[i].dice!)));
    console.log(`${raw.summary.segmentation?.n} example masks: mean Dice shipped ${shipped.summary.segmentation?.meanDice}, uint8 input ${raw.summary.segmentation?.meanDice}, max |Dice diff| per image ${gap.toExponential(2)}`);
    expect(shipped.summary.segmentation?.n).toBeGreaterThan(5);
    expect(scored(raw).map((c) => c.image)).toEqual(scored(shipped).map((c) => c.image));
    expect(scored(raw)).toHaveLength(shipped.summary.segmentation!.n);
    expect(gap).toBeLessThan(1e-4);
  });

  it('is fed uint8 also when its manifest says float32: the graph\'s declared type wins', async () => {
    const asFloat = bundleWith('segmenter', resolve(USER_MODELS, 'segmenter-uint8.int8.onnx'), { input: 'pixels', output: 'logits', outShape: ['batch', 2, 'height', 'width'] }, { scale: 1, offset: 0 });
    const run = await evaluateFiles({ ...images, modelDir: asFloat });
    expect(run.summary.segmentation?.n).toBe(14);
    expect(run.cases.filter((c) => c.error)).toEqual([]);
  });

  it('refuses a manifest that names an input the graph does not have, before any image', async () => {
    const misnamed = bundleWith('segmenter', resolve(USER_MODELS, 'segmenter-uint8.int8.onnx'), { input: 'image', output: 'logits', outShape: ['batch', 2, 'height', 'width'] }, { scale: 1, offset: 0 });
    await expect(evaluateFiles({ ...images, modelDir: misnamed })).rejects.toThrow('segmenter: the manifest names input "image", the model\'s inputs are [pixels]');
  });

  it('refuses a normalization that uint8 would round away, in words', async () => {
    await expect(evaluateFiles({ ...images, modelDir: uint8Bundle({ scale: 1 / 255, offset: 0 }) }))
      .rejects.toThrow('segmenter input "pixels" takes uint8 pixels 0..255: the normalization must keep them as they are (scale 1, offset 0');
  });
});

describe('a segmenter converted to float16 without keep_io_types: it takes and gives halves', () => {
  it('is fed the pixels as halves, its float16 logits read back, and gives the shipped segmenter\'s Dice on the example masks', async () => {
    // the manifest says float32 on both sides, as the own-model form writes it: the graph's float16 wins
    const shipped = await shippedSegmenter();
    const run = await float16Segmenter();
    const scored = (r: typeof shipped) => r.cases.filter((c) => typeof c.dice === 'number');
    const gap = Math.max(...scored(run).map((c, i) => Math.abs(c.dice! - scored(shipped)[i].dice!)));
    console.log(`${run.summary.segmentation?.n} example masks: mean Dice shipped ${shipped.summary.segmentation?.meanDice}, float16 in and out ${run.summary.segmentation?.meanDice}, max |Dice diff| per image ${gap.toExponential(2)}`);
    expect(run.cases.filter((c) => c.error)).toEqual([]);
    expect(scored(run).map((c) => c.image)).toEqual(scored(shipped).map((c) => c.image));
    expect(scored(run)).toHaveLength(shipped.summary.segmentation!.n);
    // halves carry 11 significant bits: a pixel / 255 moves by at most 1.2e-4 and a logit by 0.05% on the way
    expect(gap).toBeLessThan(1e-3);
  });
});

describe('a float16 segmenter that overflows on bright images: NaN logits', () => {
  it('fails those images with what happened, and scores their batch-mates as the shipped segmenter does', async () => {
    const overflow = bundleWith('segmenter', resolve(USER_MODELS, 'segmenter-float16-overflow.int8.onnx'), { input: 'image_half', output: 'logits_half', outShape: ['batch', 2, 'height', 'width'] }, {});
    const [shipped, run] = [await shippedSegmenter(), await evaluateFiles({ ...MASKED, modelDir: overflow })];
    const failed = run.cases.filter((c) => c.error);
    const scored = run.cases.filter((c) => typeof c.dice === 'number' && !c.error);
    console.log(`overflowing float16 segmenter: ${failed.length} of ${run.cases.length} example images failed (${failed.map((c) => c.image).join(', ')}); ${scored.length} scored`);
    expect(failed.length).toBeGreaterThan(0);
    expect(scored.length).toBeGreaterThan(0);
    for (const c of failed) {
      expect(c.error!.code).toBe('inference-failed');
      expect(c.error!.detail).toMatch(new RegExp(`^${c.image}: segmenter: 131072 of the 131072 values the model gave for this image are not numbers \\(NaN or infinity\\); float16 overflows above 65504 where float32 does not: the model's float32 export may work$`));
    }
    // the images it did not overflow on are scored, batch-mates of the failed ones included, as the float16 segmenter scores them
    const half = await float16Segmenter();
    const diceOf = (r: typeof run) => new Map(r.cases.map((c) => [c.image, c.dice]));
    for (const c of scored) expect(c.dice).toBe(diceOf(half).get(c.image));
    expect(run.cases.map((c) => c.image)).toEqual(shipped.cases.map((c) => c.image));
    expect(scored.length + failed.filter((c) => c.mask).length).toBe(shipped.summary.segmentation!.n);
    expect(run.summary.segmentation?.n).toBe(scored.length);
  });
});

describe('a binary classifier with one sigmoid output and two class names', () => {
  it('scores the second class with the logit and gives the first the rest: p(normal) as the shipped classifier gives it', async () => {
    const images = LABELLED;
    const shipped = await shippedClassifier();
    const binary = await evaluateFiles({
      ...images,
      labelMap: { pneumonia: 'abnormal', covid19: 'abnormal', tuberculosis: 'abnormal' },
      modelDir: bundleWith('classifier', resolve(USER_MODELS, 'classifier-imagenet.int8.onnx'), { input: 'rgb', output: 'abnormal_logit', outShape: ['batch', 1] }, IMAGENET, {
        classes: ['normal', 'abnormal'],
        postprocess: { activation: 'sigmoid' },
      }),
    });
    const normal = (run: typeof shipped) => run.cases.map((c) => c.probabilities![0]);
    const gap = Math.max(...normal(binary).map((p, i) => Math.abs(p - normal(shipped)[i])));
    console.log(`${binary.summary.classification?.n} example images, binary normal vs abnormal: max |p(normal) - shipped p(normal)| ${gap.toExponential(2)}, accuracy ${binary.summary.classification?.accuracy}`);
    expect(binary.summary.classification?.classes).toEqual(['normal', 'abnormal']);
    expect(binary.summary.classification?.n).toBe(shipped.cases.length);
    expect(gap).toBeLessThan(1e-5);
    for (const c of binary.cases) expect(c.probabilities![0] + c.probabilities![1]).toBeCloseTo(1, 12);
  });
});

describe('a classifier whose 1x1 convolution head gives its scores as [batch, classes, 1, 1]', () => {
  it('scores the example set as the shipped classifier does, from a manifest that says [batch, 4] as the form writes it', async () => {
    const images = LABELLED;
    const shipped = await shippedClassifier();
    const unflattened = await evaluateFiles({ ...images, modelDir: bundleWith('classifier', resolve(USER_MODELS, 'classifier-1x1.int8.onnx'), { input: 'image', output: 'scores', outShape: ['batch', 4] }, {}) });
    const probabilities = (run: typeof shipped) => run.cases.flatMap((c) => c.probabilities ?? []);
    console.log(`${unflattened.cases.length} example images, [batch, 4, 1, 1] scores: macro F1 ${unflattened.summary.classification?.macro.f1}, shipped ${shipped.summary.classification?.macro.f1}`);
    expect(unflattened.cases.filter((c) => c.error)).toEqual([]);
    expect(probabilities(unflattened)).toHaveLength(shipped.cases.length * 4);
    expect(probabilities(unflattened)).toEqual(probabilities(shipped));
    expect(unflattened.summary.classification?.confusion).toEqual(shipped.summary.classification?.confusion);
  });
});
