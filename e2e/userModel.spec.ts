import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { dataMissing, DATA_SKIP_MESSAGE, describeOwnBinaryClassifier, describeOwnSegmenter, expect, expectAccessible, IMAGE, loadOwnSegmenter, openStudio, pickOwnModel, readAnalysis, test, waitForModels } from './fixtures.ts';

// The user's own segmenter (here the bundle's int8 file, a different file from the fp32
// default) must stay in use when the worker is replaced (backend switch) or the bundle
// reloads (variant switch), until the user puts the built-in models back.
const OWN = resolve(import.meta.dirname, '../public/models/cxr-studio-v1/segmenter.int8.onnx');

/** Switch the backend to WASM (a fresh worker) and check that analysis works there. */
async function backToWasmAndAnalyze(page: Page) {
  const status = page.getByTestId('models-status');
  await page.getByLabel('Backend').selectOption('wasm');
  await expect(status).toContainText('on WASM', { timeout: 300_000 });
  await expect(status).not.toContainText('on WEBGPU');
  await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
  await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 120_000 });
  expect((await readAnalysis(page)).mask?.some((v) => v > 0), 'the segmenter found lungs').toBe(true);
}

test.describe('The user\'s own model on the Models page', () => {
  test.skip(dataMissing || !existsSync(OWN), DATA_SKIP_MESSAGE);

  test('stays in use across a variant switch and a backend switch, and the built-in models come back on request', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    await openStudio(page, 'wasm');
    await waitForModels(page);
    await loadOwnSegmenter(page, OWN);
    const status = page.getByTestId('models-status');
    await expect(status).toContainText('segmenter: segmenter.int8.onnx fp32 on WASM');

    // Variant switch (on Analyze, whose model query reloads the bundle in the same worker): the own segmenter stays.
    await page.getByRole('link', { name: 'Analyze' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Model variant').selectOption('int8');
    await expect(status).toContainText('classifier: cxr-studio-v1 int8', { timeout: 120_000 });
    await expect(status).toContainText('segmenter: segmenter.int8.onnx');

    // Backend switch: a fresh worker on WebGPU (SwiftShader here) gets it again.
    await page.getByLabel('Backend').selectOption('webgpu');
    await expect(status).toContainText('on WEBGPU', { timeout: 300_000 });
    await expect(status).toContainText('segmenter: segmenter.int8.onnx');

    await page.getByRole('link', { name: 'Models' }).click();
    await expect(page.getByTestId('own-models')).toContainText('segmenter segmenter.int8.onnx');
    // a WebGPU worker reads a picked file too (on its CPU provider); picking does not load it
    const form = page.getByRole('form', { name: 'Load your own model' });
    await expect(await pickOwnModel(form, resolve(import.meta.dirname, '../testdata/user-models/segmenter-nhwc.int8.onnx'))).toContainText('channels last');
    await expect(form.getByLabel('Channel order')).toHaveValue('nhwc');
    await expect(page.getByTestId('own-models')).toContainText('segmenter segmenter.int8.onnx');
    await page.getByRole('button', { name: 'Use the built-in models again' }).click();
    await page.getByRole('link', { name: 'Analyze' }).click();
    await expect(status).toContainText('segmenter: cxr-studio-v1', { timeout: 120_000 });
    await expect(status).not.toContainText('segmenter.int8.onnx');

    // Back to WASM: a third worker, whose models must be loaded again (the query for WASM
    // was answered by the first worker, which is gone).
    await backToWasmAndAnalyze(page);
    expect(offsite, 'requests that left the page origin').toEqual([]);
  });

  test('a segmenter that takes uint8 pixels is refused at load with pixel / 255, and with the raw pixels analyzes the X-ray', async ({ page, offsite }) => {
    await openStudio(page, 'wasm');
    await waitForModels(page);
    await page.getByRole('link', { name: 'Models' }).click();
    const form = page.getByRole('form', { name: 'Load your own model' });
    const uint8 = resolve(import.meta.dirname, '../testdata/user-models/segmenter-uint8.int8.onnx');
    await pickOwnModel(form, uint8);
    await expect(form.getByLabel('Normalization')).toHaveValue('raw');
    await expect(form.getByLabel('Role')).toHaveValue('segmenter');
    await expectAccessible(page); // with what the file declares shown
    // its manifest is not saved while the form leaves out what only the user can give
    await form.getByRole('button', { name: 'Download manifest.json' }).click();
    await expect(form.getByTestId('user-model-manifest')).toContainText('the model gives 2 mask channels: give 2 channel names');
    // typed over with pixel / 255
    await describeOwnSegmenter(form, uint8, '');
    await form.getByLabel('Input name').fill('');
    await form.getByRole('button', { name: 'Load model' }).click();
    await expect(page.getByTestId('user-model-message')).toContainText('segmenter input "pixels" takes uint8 pixels 0..255', { timeout: 120_000 });
    // refused: the built-in segmenter stays in use
    await expect(page.getByTestId('models-status')).toContainText('segmenter: cxr-studio-v1');
    await form.getByLabel('Normalization').selectOption({ label: '0..255 (raw pixels; a uint8 input)' });
    await form.getByRole('button', { name: 'Load model' }).click();
    await expect(page.getByTestId('user-model-message')).toContainText('segmenter-uint8.int8.onnx is now the segmenter', { timeout: 120_000 });
    // Reset gives the defaults back with what the picked file said on top
    await form.getByRole('button', { name: 'Reset the fields' }).click();
    await expect(form.getByLabel('Class names / mask channels')).toHaveValue('normal, pneumonia, tuberculosis, covid19');
    await expect(form.getByLabel('Role')).toHaveValue('segmenter');
    await expect(form.getByLabel('Normalization')).toHaveValue('raw');
    await page.getByRole('link', { name: 'Analyze' }).click();
    await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 120_000 });
    expect((await readAnalysis(page)).mask?.some((v) => v > 0), 'the uint8 segmenter found lungs').toBe(true);
    expect(offsite).toEqual([]);
  });

  test('a switch to WebGPU and back to WASM loads the models into the new worker again', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    await openStudio(page, 'wasm');
    await waitForModels(page);
    const status = page.getByTestId('models-status');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Backend').selectOption('webgpu');
    await expect(status).toContainText('on WEBGPU', { timeout: 300_000 });
    await backToWasmAndAnalyze(page);
    expect(offsite, 'requests that left the page origin').toEqual([]);
  });
});

test.describe('A binary classifier with one sigmoid output, as the user\'s own model', () => {
  /** The shipped int8 classifier for ImageNet-normalized RGB, whose abnormal_logit output is logsumexp(finding logits) - normal logit (scripts/make_user_model_fixtures.py). */
  const BINARY = resolve(import.meta.dirname, '../testdata/user-models/classifier-imagenet.int8.onnx');
  const EXAMPLE = resolve(import.meta.dirname, '../public/examples/images/kermany_person121_bacteria_576.png');

  test('two class names over the one logit: Analyze shows normal and abnormal, normal as the shipped int8 classifier gives it', async ({ page, offsite }) => {
    test.setTimeout(600_000);
    await openStudio(page, 'wasm');
    await waitForModels(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Model variant').selectOption('int8');
    await expect(page.getByTestId('models-status')).toContainText('classifier: cxr-studio-v1 int8', { timeout: 120_000 });
    await page.keyboard.press('Escape');
    await page.getByLabel('Open X-ray').setInputFiles(EXAMPLE);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 120_000 });
    const shipped = await readAnalysis(page);
    expect(shipped.classes?.[0]).toBe('normal');

    await page.getByRole('link', { name: 'Models' }).click();
    const form = page.getByRole('form', { name: 'Load your own model' });
    await describeOwnBinaryClassifier(form, BINARY, 'softmax');
    await form.getByRole('button', { name: 'Load model' }).click();
    // the one logit with softmax is refused at the first run, saying what it needs
    await expect(page.getByTestId('user-model-message')).toContainText('one output for two classes needs the sigmoid activation', { timeout: 120_000 });
    await form.getByLabel('Output activation').selectOption('sigmoid');
    await form.getByRole('button', { name: 'Load model' }).click();
    await expect(page.getByTestId('user-model-message')).toContainText('classifier-imagenet.int8.onnx is now the classifier', { timeout: 120_000 });

    // Analyze reruns the open X-ray after a model change (opening it again here started a
    // second run that cleared the first run's result while the test read it)
    await page.getByRole('link', { name: 'Analyze' }).click();
    await expect(page.getByTestId('probabilities')).toContainText('abnormal', { timeout: 120_000 });
    await expect(page.getByTestId('stage')).toHaveCount(0);
    const own = await readAnalysis(page);
    console.log(`p(normal): shipped int8 ${shipped.classProbabilities?.[0]}, own one-logit classifier ${own.classProbabilities?.[0]}`);
    expect(own.classes).toEqual(['normal', 'abnormal']);
    expect(Math.abs(own.classProbabilities![0] - shipped.classProbabilities![0])).toBeLessThan(1e-5);
    expect(own.classProbabilities![0] + own.classProbabilities![1]).toBeCloseTo(1, 12);
    expect(offsite, 'requests that left the page origin').toEqual([]);
  });
});

test('the own-model form keeps what was typed across a reload, on both pages, and Reset gives the defaults back', async ({ page }) => {
  await openStudio(page, 'wasm', 'models');
  const form = page.getByRole('form', { name: 'Load your own model' });
  await form.getByLabel('Role').selectOption('segmenter');
  await form.getByLabel('Channel order').selectOption('nhwc');
  await form.getByLabel('Normalization').selectOption('imagenet');
  await form.getByLabel('Class names / mask channels').fill('background, lung');
  await form.getByLabel('Output name').fill('masks');
  await page.reload();
  await expect(form.getByLabel('Role')).toHaveValue('segmenter');
  await expect(form.getByLabel('Channel order')).toHaveValue('nhwc');
  await expect(form.getByLabel('Normalization')).toHaveValue('imagenet');
  await expect(form.getByLabel('Input channels')).toHaveValue('3');
  await expect(form.getByLabel('Class names / mask channels')).toHaveValue('background, lung');
  await expect(form.getByLabel('Output name')).toHaveValue('masks');
  await expect(form.getByTestId('user-model-file')).toContainText('the file is not');

  // the Evaluate page's form is the same draft
  await page.goto('/#/evaluate');
  await page.getByTestId('model-user').check();
  const evaluateForm = page.getByRole('form', { name: 'Your own model to evaluate' });
  await expect(evaluateForm.getByLabel('Class names / mask channels')).toHaveValue('background, lung');
  await evaluateForm.getByRole('button', { name: 'Reset the fields' }).click();
  await expect(evaluateForm.getByLabel('Role')).toHaveValue('classifier');
  await expect(evaluateForm.getByLabel('Normalization')).toHaveValue('unit');
  await expect(evaluateForm.getByLabel('Input channels')).toHaveValue('1');
  await expect(page.getByTestId('eval-model-message')).toHaveCount(0);
});
