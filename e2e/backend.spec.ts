import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { decode } from 'fast-png';
import { resolve } from 'node:path';
import { parseCsv } from '../src/core/data/csvTable.ts';
import { DATA, dataMissing, DATA_SKIP_MESSAGE, describeOwnSegmenter, expect, IMAGE, loadOwnSegmenter, openStudio, readAnalysis, test, waitForModels } from './fixtures.ts';

/** onnxruntime-web's WASM and SwiftShader WebGPU cast a NaN to int32 differently, and this segmenter's logits show it (scripts/make_user_model_fixtures.py). */
const DISAGREES = resolve(import.meta.dirname, '../testdata/user-models/segmenter-webgpu-disagrees.onnx');

/** What that segmenter gives in WASM for an 8-bit gray pixel: sigmoid(8 * (pixel / 255 - 0.5)); on WebGPU its logits are 21.5 lower. */
const wasmProbability = (pixel: number) => 1 / (1 + Math.exp(-8 * (pixel / 255 - 0.5)));

/** The first `n` Shenzhen test-split images that have a lung mask, in their own images/ and masks/ folders. */
function shenzhenSubset(n: number): { images: string; masks: string; pairs: { image: string; mask: string }[] } {
  const data = DATA;
  const work = resolve(import.meta.dirname, '../test-results/e2e-backend-subset');
  const rows = parseCsv(readFileSync(resolve(data, 'labels.csv')), 'labels.csv').rows.filter((r) => r.split === 'test' && r.mask && existsSync(resolve(data, r.mask))).slice(0, n);
  rmSync(work, { recursive: true, force: true });
  for (const dir of ['images', 'masks']) mkdirSync(resolve(work, dir), { recursive: true });
  for (const r of rows) for (const file of [r.file, r.mask]) copyFileSync(resolve(data, file), resolve(work, file));
  return { images: resolve(work, 'images'), masks: resolve(work, 'masks'), pairs: rows.map((r) => ({ image: resolve(work, r.file), mask: resolve(work, r.mask) })) };
}

// Playwright's Chromium runs with --enable-unsafe-webgpu and no GPU, so its only
// WebGPU adapter is SwiftShader (isFallbackAdapter: true): the case issue 19 measured
// (generator ready after 220 s on it, 3.6 s on WASM).
test.describe('Backend choice with a software WebGPU adapter', () => {
  test.skip(dataMissing, DATA_SKIP_MESSAGE);

  test('Auto runs WASM; WebGPU chosen explicitly analyzes the X-ray as WASM did, and a model that disagrees with WASM on WebGPU moves to WASM', async ({ page }) => {
    test.setTimeout(600_000);
    await openStudio(page, 'auto');
    await waitForModels(page);
    const status = page.getByTestId('backend-status');
    await expect(status).toContainText('Backend: WASM');
    await expect(status).toContainText('software renderer');
    await expect(page.getByTestId('models-status')).toContainText('on WASM');
    await expect(page.getByTestId('models-status')).not.toContainText('on WEBGPU');

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByLabel('Backend')).toHaveValue('auto');
    await expect(page.getByTestId('software-adapter-warning')).toContainText(/software renderer \(google swiftshader/);
    await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 60_000 });
    const wasm = await readAnalysis(page);

    await page.getByLabel('Backend').selectOption('webgpu');
    await expect(status).toContainText('Backend: WebGPU — google swiftshader', { timeout: 60_000 });
    await expect(status).toContainText('(software fallback)');
    await waitForModels(page);
    await expect(page.getByTestId('models-status')).toContainText('segmenter: ');
    await expect(page.getByTestId('models-status')).not.toContainText('on WASM');
    // Open the image again, so the result on screen is certainly the WebGPU one.
    await page.getByLabel('Open X-ray').setInputFiles([]);
    await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
    await expect(page.getByTestId('probabilities')).toHaveCount(0);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 480_000 });
    const webgpu = await readAnalysis(page);

    // Same fp32 models, kernels differ only in summation order. Measured on SwiftShader:
    // max |dp| 1.3e-6, mean 1.6e-8, no mask pixel differs. The bounds leave room for other
    // adapters while still catching a wrong kernel.
    const n = wasm.probabilities!.length;
    let maxDiff = 0;
    let sumDiff = 0;
    let maskDisagree = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.abs(wasm.probabilities![i] - webgpu.probabilities![i]);
      maxDiff = Math.max(maxDiff, d);
      sumDiff += d;
      if (wasm.mask![i] !== webgpu.mask![i]) maskDisagree++;
    }
    const classDiff = Math.max(...wasm.classProbabilities!.map((p, i) => Math.abs(p - webgpu.classProbabilities![i])));
    console.log(`WASM vs WebGPU: max |dp| ${maxDiff.toExponential(2)}, mean |dp| ${(sumDiff / n).toExponential(2)}, mask pixels differing ${maskDisagree}/${n}, class max |dp| ${classDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-3);
    expect(sumDiff / n).toBeLessThan(1e-5);
    expect(maskDisagree / n).toBeLessThan(1e-3);
    webgpu.classProbabilities!.forEach((p, i) => expect(Math.abs(p - wasm.classProbabilities![i])).toBeLessThan(1e-4));
    // each model's first run was also run on WASM (workers/kit/checkedRunner.ts); they agreed, so both stay
    await expect(page.getByTestId('models-status')).not.toContainText('on WASM');

    // An own segmenter whose WebGPU output is wrong: its first run answers with WASM's output, and it runs on WASM from then on.
    await loadOwnSegmenter(page, DISAGREES);
    await expect(page.getByTestId('user-model-message')).toContainText('segmenter-webgpu-disagrees.onnx is now the segmenter (on WEBGPU)');
    // Analyze runs the open X-ray again with the new model; the status bar changes when that run
    // comes back, in the same step as its result
    await page.getByRole('link', { name: 'Analyze' }).click();
    const models = page.getByTestId('models-status');
    await expect(models).toContainText(/segmenter: segmenter-webgpu-disagrees\.onnx fp32 on WASM \(WebGPU output logits disagreed with WASM on its first run \(max \|diff\| 21\.5\); it runs on WASM\)/, { timeout: 480_000 });
    await expect(page.getByTestId('probabilities')).toBeVisible();
    await expect(models).toContainText('classifier: cxr-studio-v1 fp32 on WEBGPU');
    // the answer on screen is WASM's, pixel for pixel (the example is 256 x 256 8-bit gray, fed as it is)
    const pixels = decode(readFileSync(IMAGE)).data;
    const shown = (await readAnalysis(page)).probabilities!;
    expect(shown).toHaveLength(pixels.length);
    const worst = Math.max(...shown.map((p, i) => Math.abs(p - wasmProbability(pixels[i]))));
    console.log(`moved segmenter: max |p - WASM's sigmoid(8 (x - 0.5))| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
  });

  test('Evaluate checks an own model on WebGPU with the first batch of test images, and the run\'s engine line says it moved to WASM', async ({ page }) => {
    test.setTimeout(600_000);
    const subset = shenzhenSubset(2);
    await openStudio(page, 'webgpu', 'evaluate');
    await page.getByTestId('images-folder').setInputFiles(subset.images);
    await page.getByTestId('masks-folder').setInputFiles(subset.masks);
    await page.getByTestId('model-user').check();
    const own = page.getByRole('form', { name: 'Your own model to evaluate' });
    await describeOwnSegmenter(own, DISAGREES);
    await own.getByTestId('use-user-model').click();
    // the blank image that tries the form at load runs on WebGPU alone: a blank image would let a wrong kernel pass the check
    const loadedMessage = /segmenter-webgpu-disagrees\.onnx is the segmenter to evaluate \(sha256 \w+…, WEBGPU\)/;
    await expect(page.getByTestId('eval-model-message')).toContainText(loadedMessage, { timeout: 120_000 });
    // Loading a model releases the worker's only WebGPU session first, and ORT destroys its device
    // with it: that is no lost GPU, and the worker goes on (workers/runtime/session.ts).
    await own.getByTestId('use-user-model').click();
    await expect(own.getByTestId('use-user-model')).toBeEnabled({ timeout: 120_000 });
    await expect(page.getByTestId('eval-model-message')).toContainText(loadedMessage);
    await page.getByTestId('channel').selectOption({ label: 'lung_shenzhen' });
    await page.getByTestId('run-evaluation').click();
    const status = page.getByTestId('eval-status');
    await expect(status).toHaveText(/· (done|cancelled|failed)/, { timeout: 300_000 });
    if (!(await status.textContent())?.includes('done')) console.log('run did not finish:', await page.getByTestId('eval-failures').allTextContents(), await page.getByRole('alert').allTextContents());
    await expect(status).toHaveText(/· done/);
    await expect(page.getByText('2 of 2 evaluated, 0 failed')).toContainText('onnxruntime-web (segmenter wasm: WebGPU output logits disagreed with WASM on its first run (max |diff| 21.5); it runs on WASM)');
    // WASM's masks are the pixels above half (p > 0.5); WebGPU's would be empty, Dice 0
    const dices = subset.pairs.map(({ image, mask }) => {
      const x = decode(readFileSync(image)).data;
      const m = decode(readFileSync(mask)).data;
      const top = Math.max(...m);
      let both = 0;
      let sizes = 0;
      for (let i = 0; i < x.length; i++) {
        const predicted = wasmProbability(x[i]) > 0.5;
        const lung = m[i] >= top / 2;
        both += predicted && lung ? 1 : 0;
        sizes += (predicted ? 1 : 0) + (lung ? 1 : 0);
      }
      return (2 * both) / sizes;
    });
    const expected = (dices[0] + dices[1]) / 2;
    console.log(`evaluation with the moved segmenter: WASM's masks give mean Dice ${expected.toFixed(4)}`);
    await expect(page.getByTestId('eval-mean-dice')).toHaveText(expected.toFixed(4));
  });
});
