import { dataMissing, DATA_SKIP_MESSAGE, expect, IMAGE, openStudio, readAnalysis, test, waitForModels } from './fixtures.ts';

// Playwright's Chromium runs with --enable-unsafe-webgpu and no GPU, so its only
// WebGPU adapter is SwiftShader (isFallbackAdapter: true): the case issue 19 measured
// (generator ready after 220 s on it, 3.6 s on WASM).
test.describe('Backend choice with a software WebGPU adapter', () => {
  test.skip(dataMissing, DATA_SKIP_MESSAGE);

  test('Auto runs WASM; WebGPU chosen explicitly analyzes the X-ray as WASM did (segmenter and classifier outputs agree)', async ({ page }) => {
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
  });
});
