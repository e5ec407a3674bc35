import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataMissing, DATA_SKIP_MESSAGE, expect, IMAGE, openStudio, pickOwnModel, test, waitForModels } from './fixtures.ts';

const work = resolve(import.meta.dirname, '../test-results/e2e-inputs');

test.describe('Bad input gives a clear error and the app stays usable', () => {
  test.skip(dataMissing, DATA_SKIP_MESSAGE);

  test('corrupt PNG, non-image file, truncated model', async ({ page }) => {
    mkdirSync(work, { recursive: true });
    const png = readFileSync(IMAGE);
    const corrupt = Buffer.from(png);
    corrupt.fill(0x5a, 60, Math.min(png.length, 4000)); // valid signature and header, garbage compressed data
    writeFileSync(resolve(work, 'corrupt.png'), corrupt);
    writeFileSync(resolve(work, 'notes.txt'), 'this is not an x-ray\n');
    const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models', JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models/index.json'), 'utf8'))[0], 'manifest.json'), 'utf8'));
    const segFile = resolve(import.meta.dirname, '../public/models', manifest.id, manifest.models.segmenter.variants.fp32.file);
    const model = readFileSync(segFile);
    writeFileSync(resolve(work, 'truncated.onnx'), model.subarray(0, Math.floor(model.length / 3)));

    await openStudio(page, 'wasm');
    await waitForModels(page);

    await page.getByLabel('Open X-ray').setInputFiles(resolve(work, 'corrupt.png'));
    await expect(page.getByTestId('analyze-error')).toContainText('This image could not be read');

    await page.getByLabel('Open X-ray').setInputFiles(resolve(work, 'notes.txt'));
    await expect(page.getByTestId('analyze-error')).toContainText('not a supported image');

    // Still usable: a real image analyzes after the two failures.
    await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('analyze-error')).toHaveCount(0);

    await page.getByRole('link', { name: 'Models' }).click();
    await expect(page.getByTestId(`bundle-${manifest.id}`)).toBeVisible();
    const form = page.getByRole('form', { name: 'Load your own model' });
    await form.getByLabel('Role').selectOption('segmenter');
    // said on pick, before the user fills the rest of the form
    const report = await pickOwnModel(form, resolve(work, 'truncated.onnx'));
    await expect(report).toContainText('truncated.onnx could not be read as an ONNX model');
    await form.getByRole('button', { name: 'Load model' }).click();
    await expect(page.getByTestId('user-model-message')).toContainText('could not be loaded', { timeout: 60_000 });
    await expect(page.getByTestId('status-error')).toBeVisible();

    // Still usable: back on Analyze, the built-in segmenter still runs.
    await page.getByRole('link', { name: 'Analyze' }).click();
    await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId(/mask-area-/).first()).toBeVisible();
  });
});

test('a truncated built-in model file is named as incomplete, and the pages still work', async ({ page }) => {
  const index = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models/index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models', index[0], 'manifest.json'), 'utf8'));
  const file: string = manifest.models.segmenter.variants.fp32.file;
  const bytes = readFileSync(resolve(import.meta.dirname, '../public/models', manifest.id, file));
  // The server sends only the first half of the file, as a broken download would.
  await page.route(`**/models/${manifest.id}/${file}`, (route) =>
    route.fulfill({ status: 200, body: bytes.subarray(0, bytes.length >> 1), headers: { 'Content-Type': 'application/octet-stream', 'Cross-Origin-Resource-Policy': 'same-origin' } }),
  );
  await openStudio(page, 'wasm');
  await expect(page.getByTestId('model-error')).toContainText('incomplete', { timeout: 60_000 });
  await expect(page.getByTestId('model-error')).toContainText(`${file}: expected ${bytes.length} bytes, received ${bytes.length >> 1}`);
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByTestId(`bundle-${manifest.id}`)).toBeVisible();
});
