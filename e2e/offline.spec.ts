import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataMissing, DATA_SKIP_MESSAGE, expect, IMAGE, openStudio, test, waitForModels } from './fixtures.ts';

async function generateOne(page: Page, expectedCount: string): Promise<void> {
  await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout: 180_000 });
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, pneumonia, adult');
  await page.getByLabel('Steps', { exact: true }).fill('2');
  await page.getByLabel('Batch size', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('gallery-count')).toHaveText(expectedCount, { timeout: 180_000 });
}

test.describe('Offline', () => {
  test.skip(dataMissing, DATA_SKIP_MESSAGE);

  test('after one visit to Analyze and "Store all for offline use" (cancelled once, broken once) the studio reloads, analyzes, generates and evaluates with no network', async ({ page, context }) => {
    test.setTimeout(900_000);
    await openStudio(page, 'wasm', 'analyze');
    const offline = page.getByTestId('offline-status');
    await expect(offline).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
    await waitForModels(page);
    // Analyze stored the two models it opened; the generator's files wait for the button
    const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models/cxr-studio-v1/manifest.json'), 'utf8'));
    const files = ['segmenter', 'classifier', 'text_encoder', 'unet', 'unet_guided', 'vae_decoder'].filter((role) => manifest.models[role]).length + 1;
    await expect(offline).toContainText(`Offline: app only, 2 of ${files} model files stored`, { timeout: 30_000 });
    const unet = manifest.models.unet.variants.fp32;
    // Cancel while the UNet is on its way (the server holds it): what was stored stays, and no error
    let release = () => {};
    const held = new Promise<void>((done) => (release = done));
    await page.route(`**/models/${manifest.id}/${unet.file}`, async (route) => {
      await held;
      await route.abort().catch(() => {});
    });
    await offline.getByRole('button', { name: 'Store all for offline use' }).click();
    await expect(offline).toContainText(`Storing ${unet.file} for offline use`, { timeout: 60_000 });
    await offline.getByRole('button', { name: 'Cancel' }).click();
    await expect(offline).toContainText(`Offline: app only, 3 of ${files} model files stored`);
    await expect(page.getByTestId('status-error')).toHaveCount(0);
    release();
    await page.unroute(`**/models/${manifest.id}/${unet.file}`);

    // a broken download (half the UNet) is named, what was stored stays, and a second click finishes
    const half = readFileSync(resolve(import.meta.dirname, '../public/models/cxr-studio-v1', unet.file)).subarray(0, unet.bytes >> 1);
    await page.route(`**/models/${manifest.id}/${unet.file}`, (route) =>
      route.fulfill({ status: 200, body: half, headers: { 'Content-Type': 'application/octet-stream', 'Cross-Origin-Resource-Policy': 'same-origin' } }),
    );
    await offline.getByRole('button', { name: 'Store all for offline use' }).click();
    await expect(page.getByTestId('status-error')).toContainText('Storing models for offline use', { timeout: 120_000 });
    await expect(page.getByTestId('status-error')).toContainText(`${unet.file}: expected ${unet.bytes} bytes, received ${half.length}`);
    await expect(offline).toContainText(`Offline: app only, 3 of ${files} model files stored`);
    await page.unroute(`**/models/${manifest.id}/${unet.file}`);
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    await offline.getByRole('button', { name: 'Store all for offline use' }).click();
    await expect(offline).toHaveText('Available offline', { timeout: 180_000 });
    await expect(offline.getByRole('button')).toHaveCount(0);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'CXR Studio' })).toBeVisible();
    await expect(offline).toHaveText('Available offline', { timeout: 30_000 });
    await expect(page.getByTestId('backend-status')).not.toContainText('not cross-origin isolated');
    await waitForModels(page);
    await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 60_000 });

    // the generator opens from the files the button stored, never opened online
    await page.goto('/#/generate');
    await generateOne(page, '1');

    // A small set evaluated: the bundled examples come from the precache.
    await page.goto('/#/evaluate');
    await page.getByTestId('try-example').click();
    await expect(page.getByTestId('eval-status')).toHaveText(/· done/, { timeout: 300_000 });
    await expect(page.getByTestId('eval-macro-f1')).toHaveText(/^\d\.\d{4}$/);
    await expect(page.getByTestId('status-error')).toHaveCount(0);
  });
});

test.describe('Clear cached models and data', () => {
  test('asks first, then deletes model and runtime caches, every database and localStorage, and keeps the app shell', async ({ page }) => {
    test.setTimeout(300_000);
    await openStudio(page, 'wasm');
    await expect(page.getByTestId('offline-status')).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
    await waitForModels(page);
    await page.evaluate(async () => {
      localStorage.setItem('cxr-e2e-marker', '1');
      await new Promise((resolve, reject) => {
        const request = indexedDB.open('cxr-e2e-marker', 1);
        request.onsuccess = () => {
          request.result.close();
          resolve(undefined);
        };
        request.onerror = () => reject(request.error);
      });
    });
    const storage = () =>
      page.evaluate(async () => ({
        caches: await caches.keys(),
        databases: (await indexedDB.databases()).map((d) => d.name),
        marker: localStorage.getItem('cxr-e2e-marker'),
      }));
    const before = await storage();
    expect(before.caches).toContain('cxr-studio-models-v1');
    expect(before.databases).toContain('cxr-e2e-marker');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Clear cached models and data…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Clear cached models and data' });
    await expect(dialog).toContainText('cannot be undone');
    await dialog.getByRole('button', { name: 'Keep' }).click();
    expect((await storage()).marker).toBe('1');

    await page.getByRole('button', { name: 'Clear cached models and data…' }).click();
    await dialog.getByRole('button', { name: 'Delete everything and reload' }).click();
    const report = page.getByTestId('cleared-report');
    await expect(report).toContainText(/Cleared \d+ caches and \d+ databases/, { timeout: 60_000 });
    // The page loads its models again at once, so the caches are read from the report, not re-listed.
    const clearedCaches = (await report.getAttribute('data-caches'))!.split(' ');
    expect(clearedCaches).toContain('cxr-studio-models-v1');
    expect(clearedCaches.some((name) => name.startsWith('cxr-studio-runtime-wasm-'))).toBe(true);
    expect(clearedCaches.some((name) => name.startsWith('workbox-precache'))).toBe(false);
    const after = await storage();
    expect(after.marker).toBeNull();
    expect(after.databases).not.toContain('cxr-e2e-marker');
    expect(after.caches.some((name) => name.startsWith('workbox-precache'))).toBe(true);
  });
});
