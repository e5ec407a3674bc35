import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { evaluateFiles } from '../cli/evaluate.ts';
import { parseCsv } from '../src/core/data/csvTable.ts';
import type { EvaluationSummary } from '../src/core/evaluation/summary.ts';
import { describeOwnSegmenter, expect, openStudio, pickOwnModel, test } from './fixtures.ts';
import { cxr256 } from '../cli/testing/shared.ts';

const SHENZHEN = cxr256('shenzhen_tb_lungseg');
const BUNDLE = resolve(import.meta.dirname, '../public/models/cxr-studio-v1');
const WORK = resolve(import.meta.dirname, '../test-results/e2e-evaluate-user-model');
const BOOTSTRAP = { iterations: 200, seed: 0, level: 0.95 };
/** The page (ORT-web WASM) against the CLI (onnxruntime-node) with the same int8 file. */
const SAME = 1e-6;
const IMAGES = 6;

/** The first few Shenzhen test-split images that have a mask, copied into their own folders. */
function testSubset(): { images: string; masks: string; stems: string[] } {
  const table = parseCsv(readFileSync(resolve(SHENZHEN, 'labels.csv')), 'labels.csv');
  const rows = table.rows.filter((r) => r.split === 'test' && r.mask && existsSync(resolve(SHENZHEN, r.mask))).slice(0, IMAGES);
  rmSync(WORK, { recursive: true, force: true });
  const images = resolve(WORK, 'images');
  const masks = resolve(WORK, 'masks');
  mkdirSync(images, { recursive: true });
  mkdirSync(masks, { recursive: true });
  for (const r of rows) {
    copyFileSync(resolve(SHENZHEN, r.file), resolve(WORK, r.file));
    copyFileSync(resolve(SHENZHEN, r.mask), resolve(WORK, r.mask));
  }
  return { images, masks, stems: rows.map((r) => r.file) };
}

async function runAndExport(page: Page): Promise<{ summary: EvaluationSummary; csv: string }> {
  await page.getByTestId('run-evaluation').click();
  await expect(page.getByTestId('eval-status')).toHaveText(/· (done|cancelled|failed)/, { timeout: 300_000 });
  const json = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const csv = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  return { summary: JSON.parse(readFileSync(await (await json).path(), 'utf8')), csv: readFileSync(await (await csv).path(), 'utf8') };
}

/** Fill the own-model form with cxr-studio-v1's segmenter values and use it. */
async function fillSegmenterForm(form: Locator, file: string, outputName = 'logits') {
  await describeOwnSegmenter(form, file, outputName);
  await form.getByTestId('use-user-model').click();
}

test.describe('Evaluate page: the user\'s own ONNX model', () => {
  test.skip(!existsSync(SHENZHEN), `Shenzhen X-rays and masks not found at ${SHENZHEN} (shared data is not part of a clone)`);

  test('int8 segmenter picked as own model: CLI numbers, named in the exports, compared with the built-in run; bad models refused', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    const subset = testSubset();
    const int8 = JSON.parse(readFileSync(resolve(BUNDLE, 'manifest.json'), 'utf8')).models.segmenter.variants.int8;
    const notOnnx = resolve(WORK, 'not-a-model.onnx');
    writeFileSync(notOnnx, readFileSync(resolve(SHENZHEN, subset.stems[0])));

    await openStudio(page, 'wasm', 'evaluate');
    await page.getByTestId('images-folder').setInputFiles(subset.images);
    await page.getByTestId('masks-folder').setInputFiles(subset.masks);
    await page.getByLabel('Bootstrap', { exact: true }).fill(String(BOOTSTRAP.iterations));
    await expect(page.getByTestId('validation-counts')).toContainText(`${IMAGES} image(s): 0 with a known label, ${IMAGES} with a mask; ${IMAGES} usable.`);

    // 1. The built-in bundle's segmenter (fp32), channel lung_shenzhen
    await page.getByTestId('channel').selectOption({ label: 'lung_shenzhen' });
    const builtIn = (await runAndExport(page)).summary;
    expect(builtIn.models).toEqual([expect.objectContaining({ role: 'segmenter', file: 'segmenter.onnx' })]);

    // 2. Bad own models: a PNG named .onnx, then the right file with an output name it does not have
    await page.getByTestId('model-user').check();
    await expect(page.getByTestId('run-evaluation')).toBeDisabled();
    const form = page.getByRole('form', { name: 'Your own model to evaluate' });
    await fillSegmenterForm(form, notOnnx);
    // said as soon as the file is picked, and again when it is used
    await expect(form.getByTestId('user-model-declared')).toContainText('not-a-model.onnx could not be read as an ONNX model');
    await expect(page.getByTestId('eval-model-message')).toContainText('The model could not be loaded; the file may be damaged or not an ONNX model.', { timeout: 60_000 });
    await expect(page.getByTestId('eval-model-message')).toContainText('not-a-model.onnx');
    await expect(page.getByTestId('run-evaluation')).toBeDisabled();
    await fillSegmenterForm(form, resolve(BUNDLE, int8.file), 'probabilities');
    await expect(page.getByTestId('eval-model-message')).toContainText('segmenter: the form names output "probabilities", the model\'s outputs are [logits]', { timeout: 60_000 });
    await expect(page.getByTestId('run-evaluation')).toBeDisabled();
    // a size the graph fixes otherwise, typed over what the file said: the message gives the size to type
    await describeOwnSegmenter(form, resolve(BUNDLE, int8.file));
    await expect(form.getByTestId('user-model-declared')).toContainText('input "image" float32 [batch, 1, 256, 256]');
    await expect(form.getByLabel('Input size')).toHaveValue('256');
    await form.getByLabel('Input size').fill('224');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('the form gives [batch, 1, 224, 224], the model declares [batch, 1, 256, 256]; the model takes 256 px: set the input size to 256', { timeout: 60_000 });
    await expect(page.getByTestId('run-evaluation')).toBeDisabled();

    // 3. The int8 file as the user's own segmenter, the size put back as the message says
    await form.getByLabel('Input size').fill('256');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText(`segmenter.int8.onnx is the segmenter to evaluate (sha256 ${int8.sha256.slice(0, 12)}`, { timeout: 60_000 });
    await page.getByTestId('channel').selectOption({ label: 'lung_shenzhen' });
    await expect(page.getByTestId('run-evaluation')).toContainText('with segmenter.int8.onnx');
    const { summary: own, csv } = await runAndExport(page);
    expect(own.bundle).toBe('user-segmenter.int8.onnx');
    expect(own.models).toEqual([{ role: 'segmenter', file: 'segmenter.int8.onnx', sha256: int8.sha256 }]);
    expect(own.settings.diceChannel).toBe('lung_shenzhen');
    await expect(page.getByTestId('eval-models')).toContainText(`segmenter segmenter.int8.onnx sha256 ${int8.sha256}`);
    const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['segmenter_file', 'segmenter_sha256']));
    expect(csv).toContain(`segmenter.int8.onnx,${int8.sha256}`);

    const { summary: cli } = await evaluateFiles({ images: subset.images, masks: subset.masks, channel: 'lung_shenzhen', task: 'segmentation', variant: 'int8', settings: { bootstrap: BOOTSTRAP } });
    expect(cli.models).toEqual(own.models);
    const p = own.segmentation!;
    const c = cli.segmentation!;
    expect(p.n).toBe(IMAGES);
    for (const [what, a, b] of [['mean Dice', p.meanDice, c.meanDice], ['median Dice', p.medianDice, c.medianDice], ['mean IoU', p.meanIou, c.meanIou], ['mean Dice CI low', p.ci.meanDice.low, c.ci.meanDice.low]] as const) {
      console.log(`own int8 ${what}: page ${a} CLI --variant int8 ${b} |diff| ${Math.abs(a - b)}`);
      expect(Math.abs(a - b), what).toBeLessThanOrEqual(SAME);
    }
    console.log(`built-in fp32 mean Dice on the same ${IMAGES} images: ${builtIn.segmentation!.meanDice}`);
    await expect(page.getByTestId('eval-mean-dice')).toHaveText(p.meanDice.toFixed(4));

    // 4. Paired comparison: own int8 run minus the built-in fp32 run on the same images
    const runs = page.getByTestId('runs-list');
    await expect(runs).toContainText('user-segmenter.int8.onnx (segmenter.int8.onnx)');
    await runs.locator('li', { hasText: 'cxr-studio-v1 (segmenter.onnx)' }).first().getByRole('button', { name: 'compare open run with this' }).click();
    const comparison = page.getByTestId('comparison');
    await expect(comparison).toContainText('user-segmenter.int8.onnx (segmenter.int8.onnx) on');
    await expect(comparison).toContainText('minus cxr-studio-v1 (segmenter.onnx) on');
    const difference = p.meanDice - builtIn.segmentation!.meanDice;
    console.log(`paired mean Dice difference (own int8 - built-in fp32): ${difference}`);
    const row = comparison.locator('tr', { hasText: 'mean Dice' });
    await expect(row).toContainText(new RegExp(`^mean Dice${IMAGES}-?\\d\\.\\d{4}\\[`));
    const shown = Number((await row.locator('td').nth(2).textContent()) ?? NaN);
    console.log(`comparison panel shows ${shown}`);
    expect(Math.abs(shown - difference)).toBeLessThanOrEqual(0.00005 + 1e-12);

    // 5. The page stays usable: back to the built-in model
    await page.getByTestId('model-bundle').check();
    await expect(page.getByTestId('run-evaluation')).toBeEnabled();
    expect(offsite).toEqual([]);
  });
});

test.describe('Evaluate page: own models that take their input as ImageNet and Keras models do', () => {
  /** The shipped int8 models behind an undo-ImageNet front and between two Transposes (scripts/make_user_model_fixtures.py). */
  const WRAPPED = resolve(import.meta.dirname, '../testdata/user-models/classifier-imagenet.int8.onnx');
  const NHWC = resolve(import.meta.dirname, '../testdata/user-models/segmenter-nhwc.int8.onnx');
  const UINT8 = resolve(import.meta.dirname, '../testdata/user-models/segmenter-uint8.int8.onnx');
  const FLOAT16 = resolve(import.meta.dirname, '../testdata/user-models/segmenter-float16.int8.onnx');
  const OVERFLOW = resolve(import.meta.dirname, '../testdata/user-models/segmenter-float16-overflow.int8.onnx');
  const EXTERNAL = resolve(import.meta.dirname, '../testdata/user-models/segmenter-external.onnx');
  const EXAMPLES = resolve(import.meta.dirname, '../public/examples');

  /** The Evaluate page on the example images with their labels or their masks, and the own-model form to fill. */
  async function examplesWithOwnModel(page: Page, truth: 'labels-file' | 'masks-folder'): Promise<Locator> {
    await openStudio(page, 'wasm', 'evaluate');
    await page.getByTestId('images-folder').setInputFiles(resolve(EXAMPLES, 'images'));
    await page.getByTestId(truth).setInputFiles(resolve(EXAMPLES, truth === 'labels-file' ? 'labels.csv' : 'masks'));
    await page.getByLabel('Bootstrap', { exact: true }).fill(String(BOOTSTRAP.iterations));
    await page.getByTestId('model-user').check();
    return page.getByRole('form', { name: 'Your own model to evaluate' });
  }

  /** The own segmenter, now loaded, scored on the example masks' lung channel: the CLI's shipped int8 mean Dice, within `tolerance`. */
  async function expectShippedDice(page: Page, what: string, tolerance: number) {
    await page.getByTestId('channel').selectOption({ label: 'lung' });
    const { summary: own } = await runAndExport(page);
    const { summary: cli } = await evaluateFiles({ images: resolve(EXAMPLES, 'images'), masks: resolve(EXAMPLES, 'masks'), channel: 'lung', task: 'segmentation', variant: 'int8', settings: { bootstrap: BOOTSTRAP } });
    console.log(`${what} own segmenter on ${own.segmentation!.n} example masks: page mean Dice ${own.segmentation!.meanDice}; CLI shipped int8 ${cli.segmentation!.meanDice}`);
    expect(own.segmentation!.n).toBe(cli.segmentation!.n);
    expect(Math.abs(own.segmentation!.meanDice - cli.segmentation!.meanDice)).toBeLessThanOrEqual(tolerance);
  }

  test('the ImageNet normalization fills 3 channels and a scale and offset per channel; the page then gives the shipped classifier\'s numbers', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    const form = await examplesWithOwnModel(page, 'labels-file');
    const report = await pickOwnModel(form, WRAPPED);
    // 3 channels from the file's [batch, 3, 256, 256]; how they were normalized the file cannot say
    await expect(form.getByLabel('Input channels')).toHaveValue('3');
    await expect(report).toContainText('Still to give: the normalization the model was trained with (the file does not say).');
    await expect(form.getByLabel('Normalization')).toHaveValue('unit');
    await form.getByLabel('Normalization').selectOption({ label: 'ImageNet mean and std, per RGB channel' });
    await expect(form.getByLabel('Input channels')).toHaveValue('3');
    await expect(form.getByLabel('Scale')).toHaveValue('0.017124754, 0.017507003, 0.017429194');
    await expect(form.getByLabel('Offset', { exact: true })).toHaveValue('-2.1179039, -2.0357143, -1.8044444');
    // a list that does not fit the channels is refused in words, and the page waits for a fix
    await form.getByLabel('Input channels').fill('1');
    await expect(form.getByLabel('Normalization')).toHaveValue('imagenet');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('preprocess.scale: expected a finite number or a list of 1, one per channel', { timeout: 60_000 });
    await expect(page.getByTestId('run-evaluation')).toBeDisabled();
    await form.getByLabel('Input channels').fill('3');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('classifier-imagenet.int8.onnx is the classifier to evaluate', { timeout: 60_000 });
    const { summary: own } = await runAndExport(page);

    const { summary: cli } = await evaluateFiles({ images: resolve(EXAMPLES, 'images'), labels: resolve(EXAMPLES, 'labels.csv'), task: 'classification', variant: 'int8', settings: { bootstrap: BOOTSTRAP } });
    const p = own.classification!;
    const c = cli.classification!;
    console.log(`ImageNet-style own classifier on ${p.n} example images: page accuracy ${p.accuracy}, macro F1 ${p.macro.f1}; CLI shipped int8 ${c.accuracy}, ${c.macro.f1}`);
    expect(p.n).toBe(c.n);
    expect(p.confusion).toEqual(c.confusion);
    for (const [what, a, b] of [['accuracy', p.accuracy, c.accuracy], ['macro F1', p.macro.f1, c.macro.f1], ['macro AUC', p.aucMacro!, c.aucMacro!]] as const) {
      expect(Math.abs(a - b), what).toBeLessThanOrEqual(1e-4);
    }
    expect(offsite).toEqual([]);
  });

  test('a channels-last segmenter: the order is read from the file; set otherwise, the form says to change it; then the page gives the shipped segmenter\'s Dice, and its saved manifest gives the CLI the same', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    const form = await examplesWithOwnModel(page, 'masks-folder');
    await describeOwnSegmenter(form, NHWC, '');
    await form.getByLabel('Input name').fill('');
    await expect(form.getByLabel('Channel order')).toHaveValue('nhwc');
    await expect(form.getByTestId('user-model-declared')).toContainText('Filled in from the file: role segmenter (a 4-d output: one mask per channel), channels last, 1 input channel(s), input size 256 px.');
    await form.getByLabel('Channel order').selectOption('nchw');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('the model declares [batch, 256, 256, 1]; the model has its channels on the other side: change the channel order', { timeout: 60_000 });
    await form.getByLabel('Channel order').selectOption('nhwc');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('segmenter-nhwc.int8.onnx is the segmenter to evaluate', { timeout: 60_000 });
    await expectShippedDice(page, 'channels-last', SAME);

    // the form saved as the file's manifest: next to a copy of the file, a bundle the CLI scores the same
    const saved = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Download manifest.json' }).click();
    await expect(page.getByTestId('user-model-manifest')).toContainText('Saved manifest.json for segmenter-nhwc.int8.onnx');
    const bundle = resolve(WORK, 'nhwc-bundle');
    mkdirSync(bundle, { recursive: true });
    copyFileSync(await (await saved).path(), resolve(bundle, 'manifest.json'));
    copyFileSync(NHWC, resolve(bundle, 'segmenter-nhwc.int8.onnx'));
    expect(JSON.parse(readFileSync(resolve(bundle, 'manifest.json'), 'utf8')).models.segmenter.inputs[0]).toEqual({ name: 'image_nhwc', shape: ['batch', 256, 256, 1], dtype: 'float32' });
    const truth = { images: resolve(EXAMPLES, 'images'), masks: resolve(EXAMPLES, 'masks'), channel: 'lung', task: 'segmentation' as const, settings: { bootstrap: BOOTSTRAP } };
    const [fromPage, shipped] = [await evaluateFiles({ ...truth, modelDir: bundle }), await evaluateFiles({ ...truth, variant: 'int8' })];
    console.log(`CLI with the page's manifest: mean Dice ${fromPage.summary.segmentation!.meanDice}; shipped int8 ${shipped.summary.segmentation!.meanDice}`);
    expect(fromPage.summary.segmentation!.meanDice).toBe(shipped.summary.segmentation!.meanDice);
    expect(offsite).toEqual([]);
  });

  test('a segmenter that takes uint8 pixels: refused with pixel / 255, then fed the pixels as they are it gives the shipped segmenter\'s Dice', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    const form = await examplesWithOwnModel(page, 'masks-folder');
    const report = await pickOwnModel(form, UINT8);
    await expect(report).toContainText('input "pixels" uint8 [batch, 1, 256, 256]');
    await expect(report).toContainText('normalization 0..255 (the input is uint8 pixels)');
    await expect(form.getByLabel('Normalization')).toHaveValue('raw');
    // typed over with pixel / 255, as before the form read the file
    await describeOwnSegmenter(form, UINT8, '');
    await form.getByLabel('Input name').fill('');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('segmenter input "pixels" takes uint8 pixels 0..255: the normalization must keep them as they are (scale 1, offset 0: "0..255 (raw pixels)")', { timeout: 60_000 });
    await expect(page.getByTestId('run-evaluation')).toBeDisabled();
    await form.getByLabel('Normalization').selectOption({ label: '0..255 (raw pixels; a uint8 input)' });
    await expect(form.getByLabel('Scale')).toHaveValue('1');
    await expect(form.getByLabel('Offset', { exact: true })).toHaveValue('0');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('segmenter-uint8.int8.onnx is the segmenter to evaluate', { timeout: 60_000 });
    // rounded to uint8 and scaled inside the graph: measured equal, allowed float32 rounding
    await expectShippedDice(page, 'uint8-input', 1e-4);
    expect(offsite).toEqual([]);
  });

  test('a model saved with its weights in a separate .data file (PyTorch\'s default): alone it is refused naming that file, picked with it it gives the shipped segmenter\'s Dice', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    const form = await examplesWithOwnModel(page, 'masks-folder');
    const report = await pickOwnModel(form, EXTERNAL);
    await expect(report).toHaveAttribute('data-state', 'failed');
    await expect(report).toContainText('segmenter-external.onnx keeps its weights in a separate file, segmenter-external.onnx.data, which was not given with it (PyTorch exports so by default since 2.9): choose both files together');
    await form.getByLabel('ONNX file').setInputFiles([EXTERNAL, `${EXTERNAL}.data`]);
    await expect(report).toHaveAttribute('data-state', 'read', { timeout: 60_000 });
    await expect(report).toContainText('input "image" float32 [batch, 1, 256, 256]');
    await expect(form.getByTestId('user-model-file')).toHaveText('segmenter-external.onnx + segmenter-external.onnx.data');
    // what describeOwnSegmenter types after its pick
    await form.getByLabel('Scale').fill(String(1 / 255));
    await form.getByLabel('Output activation').selectOption('sigmoid');
    await form.getByLabel('Class names / mask channels').fill('lung, lung_shenzhen');
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('segmenter-external.onnx is the segmenter to evaluate', { timeout: 60_000 });
    await expectShippedDice(page, 'external-data', SAME);
    expect(offsite).toEqual([]);
  });

  test('a segmenter converted to float16 (halves in and out): accepted as it is, it gives the shipped segmenter\'s Dice, and its saved manifest says float16; one that overflows fails the images it gives NaN for, by name', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    const form = await examplesWithOwnModel(page, 'masks-folder');
    await describeOwnSegmenter(form, FLOAT16, '');
    await form.getByLabel('Input name').fill('');
    const report = form.getByTestId('user-model-declared');
    await expect(report).toContainText('input "image_half" float16 [batch, 1, 256, 256]');
    await expect(report).toContainText('output "logits_half" float16 [batch, 2, 256, 256]');
    await expect(form.getByTestId('user-model-problems')).toHaveCount(0);
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('segmenter-float16.int8.onnx is the segmenter to evaluate', { timeout: 60_000 });
    // Chromium's own Float16Array carries the logits back here (Node's CLI reads half bits)
    await expectShippedDice(page, 'float16', 1e-3);
    const saved = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Download manifest.json' }).click();
    const { segmenter } = JSON.parse(readFileSync(await (await saved).path(), 'utf8')).models;
    expect([segmenter.inputs[0].dtype, segmenter.outputs[0].dtype]).toEqual(['float16', 'float16']);

    // the same with a float16 sum that overflows on bright images (every logit NaN there):
    // those images fail with what happened, the rest are scored (cli/userModelInputs.test.ts: 17 of 34, 3 with masks)
    await pickOwnModel(form, OVERFLOW);
    await form.getByTestId('use-user-model').click();
    await expect(page.getByTestId('eval-model-message')).toContainText('segmenter-float16-overflow.int8.onnx is the segmenter to evaluate', { timeout: 60_000 });
    const { summary } = await runAndExport(page);
    await expect(page.getByText('17 image(s) failed')).toBeVisible();
    await expect(page.getByTestId('eval-failures')).toContainText('inference-failed: images/ieee8023_b343e657.png: segmenter: 131072 of the 131072 values the model gave for this image are not numbers (NaN or infinity); float16 overflows above 65504 where float32 does not: the model\'s float32 export may work');
    expect(summary.segmentation!.n).toBe(11);
    expect(offsite).toEqual([]);
  });
});
