import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, openStudio, test } from './fixtures.ts';

const BUNDLE = resolve(import.meta.dirname, '../public/models/cxr-studio-v1');
const shipped = JSON.parse(readFileSync(resolve(BUNDLE, 'manifest.json'), 'utf8'));

test.describe('Generate presets (issue 18)', () => {
  test("a bundle without named presets offers its fast settings and defaults, one click each, and no UNet choice", async ({ page }) => {
    await openStudio(page, 'wasm', 'generate');
    const presets = page.getByTestId('fast-settings');
    await expect(presets.getByRole('button')).toHaveText([/^Fast: DPM-Solver\+\+ 2M, 10 steps$/, /^Defaults: DDIM, 20 steps$/]);
    await presets.getByRole('button', { name: /^Fast/ }).click();
    await expect(page.getByLabel('Steps', { exact: true })).toHaveValue(String(shipped.diffusion.fast.steps));
    await expect(page.getByLabel('Scheduler', { exact: true })).toHaveValue(shipped.diffusion.fast.scheduler);
    await presets.getByRole('button', { name: /^Defaults/ }).click();
    await expect(page.getByLabel('Steps', { exact: true })).toHaveValue(String(shipped.diffusion.defaults.steps));
    await expect(page.getByLabel('Scheduler', { exact: true })).toHaveValue(shipped.diffusion.defaults.scheduler);
    await expect(page.getByLabel('UNet', { exact: true })).toHaveCount(0);
  });

  /**
   * A bundle with a one-pass UNet and named presets, as a GPU session will ship it. No
   * student is committed, so the served manifest lists the shipped unet.onnx under
   * `unet_guided` with a `guidance` input: nothing here runs it, since the request is
   * refused before the first UNet run (the one-pass path on real weights is tested in
   * src/core/pipelines/generate.guided.test.ts).
   */
  test('named presets pick steps and UNet; a negative prompt with the one-pass UNet is refused in words', async ({ page }) => {
    const unet = shipped.models.unet;
    const manifest = {
      ...shipped,
      models: { ...shipped.models, unet_guided: { ...unet, inputs: [...unet.inputs, { name: 'guidance', shape: ['batch'], dtype: 'float32' }] } },
      diffusion: {
        ...shipped.diffusion,
        presets: [
          { name: 'draft', label: 'Draft', steps: 4, guidance: 5, scheduler: 'ddim', unet: 'unet_guided', seconds_wasm: 0.9, measured: 'adherence as measured' },
          { name: 'best', label: 'Best', steps: 20, guidance: 5, scheduler: 'ddim', seconds_wasm: 9.5 },
        ],
      },
    };
    await page.route(`**/models/${shipped.id}/manifest.json`, (route) => route.fulfill({ json: manifest }));
    await openStudio(page, 'wasm', 'generate');
    const presets = page.getByTestId('fast-settings');
    await expect(presets.getByRole('button')).toHaveText(['Draft: DDIM, 4 steps, one pass, 0.9 s', 'Best: DDIM, 20 steps, 9.5 s']);
    await presets.getByRole('button', { name: /^Draft/ }).click();
    await expect(page.getByLabel('Steps', { exact: true })).toHaveValue('4');
    await expect(page.getByLabel('UNet', { exact: true })).toHaveValue('unet_guided');

    await page.getByLabel('Negative prompt', { exact: true }).fill('chest x-ray, pneumonia');
    await expect(page.getByRole('alert').filter({ hasText: 'one-pass UNet' })).toHaveText(/has no unconditional pass, so a negative prompt has nothing to act on/);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect(page.getByTestId('batch-outcome')).toContainText('the one-pass UNet (unet_guided) has no unconditional pass');
    await expect(page.getByLabel('Negative prompt', { exact: true })).toHaveValue('chest x-ray, pneumonia'); // nothing the user typed is lost

    await presets.getByRole('button', { name: /^Best/ }).click();
    await expect(page.getByLabel('UNet', { exact: true })).toHaveValue('unet');
    await expect(page.getByRole('alert').filter({ hasText: 'has nothing to act on' })).toHaveCount(0);
  });
});
