import { expect, openStudio, test } from './fixtures.ts';

/**
 * The WebGPU device is lost mid-batch (issue 20 "Faults"): on SwiftShader, the
 * diffusion worker's GPUDevice is destroyed between two images of a 1-step
 * batch. The running image settles with the "gpu-device-lost" error instead of
 * waiting on a dead device, the finished image stays, and the batch resumes on
 * WASM after a switch in Settings. SwiftShader is ~100x slower than WASM, so this
 * test is long (a generator on it takes minutes to become ready).
 */
test('the WebGPU device is lost mid-batch: the finished image is kept and the rest resumes on WASM', async ({ page }) => {
  test.setTimeout(1_500_000);
  await openStudio(page, 'webgpu', 'generate');
  await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout: 900_000 });
  await expect(page.getByTestId('generator-engine')).toContainText('webgpu');
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, no finding, adult');
  await page.getByLabel('Steps', { exact: true }).fill('1');
  await page.getByLabel('Seed', { exact: true }).fill('5');
  await page.getByLabel('Batch size', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('gallery-count')).toHaveText('1', { timeout: 600_000 });

  // The next GPU work the worker records destroys its device: the real device.destroy()
  // on the device ORT runs on, reached through the prototype since ORT keeps it private.
  let destroyed = false;
  for (const worker of page.workers()) {
    const name = await worker.evaluate(() => self.name).catch(() => '');
    if (!name.startsWith('diffusion-')) continue;
    destroyed = await worker.evaluate(() => {
      const proto = (globalThis as unknown as { GPUDevice?: { prototype: Record<string, unknown> } }).GPUDevice?.prototype;
      if (!proto) return false;
      for (const method of ['createCommandEncoder', 'createBuffer', 'createBindGroup']) {
        const original = proto[method] as (this: { destroy(): void }, ...args: unknown[]) => unknown;
        proto[method] = function (this: { destroy(): void }, ...args: unknown[]) {
          this.destroy();
          return original.apply(this, args);
        };
      }
      return true;
    });
  }
  expect(destroyed, 'found the diffusion worker and its GPUDevice').toBe(true);

  const outcome = page.getByTestId('batch-outcome');
  await expect(outcome).toContainText('The GPU stopped responding', { timeout: 600_000 });
  await expect(outcome).toContainText('1 finished image kept in the gallery.');
  await expect(page.getByTestId('gallery-count')).toHaveText('1');
  const offer = page.getByTestId('interrupted-batch');
  await expect(offer).toContainText('A batch stopped after 1 of 2 images');

  // fall back: WASM in Settings, then resume the missing seed
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Backend').selectOption('wasm');
  await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout: 180_000 });
  await offer.getByRole('button', { name: 'Resume the remaining 1 image' }).click();
  await expect(page.getByTestId('gallery-count')).toHaveText('2', { timeout: 180_000 });
  const seeds = (await page.getByTestId('provenance').allTextContents()).map((t) => Number(/"seed": (\d+)/.exec(t)?.[1])).sort();
  expect(seeds).toEqual([5, 6]);
});
