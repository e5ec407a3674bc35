import type { Page, Worker } from '@playwright/test';
import { expect, openStudio, test } from './fixtures.ts';

/**
 * Faults during a generation batch (issue 20 "Faults", issue 21 "Workers"): the
 * worker dies, the backend is switched, the tab is reloaded. Each time every
 * pending call settles, the finished images stay in the gallery and the page
 * offers to resume the rest, which then makes exactly the missing seeds.
 */

const SEED = 11;
const BATCH = 3;

async function waitForGenerator(page: Page, timeout = 180_000): Promise<void> {
  await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout });
}

async function startBatch(page: Page, steps: number): Promise<void> {
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, no finding, adult');
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Seed', { exact: true }).fill(String(SEED));
  await page.getByLabel('Batch size', { exact: true }).fill(String(BATCH));
  await page.getByRole('button', { name: 'Generate' }).click();
}

/** The seeds of every image in the gallery, read from their provenance. */
async function gallerySeeds(page: Page): Promise<number[]> {
  const texts = await page.getByTestId('provenance').allTextContents();
  return texts.map((t) => Number(/"seed": (\d+)/.exec(t)?.[1])).sort((a, b) => a - b);
}

/** The page's worker whose name starts with `kind` (ORT's pthread helpers run the same script under other names). */
async function findWorker(page: Page, kind: string): Promise<Worker> {
  for (const worker of page.workers()) {
    const name = await worker.evaluate(() => self.name).catch(() => '');
    if (name.startsWith(`${kind}-`)) return worker;
  }
  throw new Error(`no ${kind} worker among ${page.workers().length}`);
}

async function expectResumeOffer(page: Page, done: number, why: RegExp): Promise<void> {
  const offer = page.getByTestId('interrupted-batch');
  await expect(offer).toContainText(`A batch stopped after ${done} of ${BATCH} images`);
  await expect(offer).toContainText(why);
  await expect(offer.getByRole('button', { name: `Resume the remaining ${BATCH - done} image${BATCH - done === 1 ? '' : 's'}` })).toBeVisible();
}

async function resumeToTheEnd(page: Page): Promise<void> {
  await waitForGenerator(page);
  await page.getByTestId('interrupted-batch').getByRole('button', { name: /^Resume the remaining/ }).click();
  await expect(page.getByTestId('gallery-count')).toHaveText(String(BATCH), { timeout: 180_000 });
  expect(await gallerySeeds(page), 'the resumed batch made exactly the missing seeds').toEqual([SEED, SEED + 1, SEED + 2]);
  await expect(page.getByTestId('interrupted-batch')).toHaveCount(0);
  await expect(page.getByTestId('batch-outcome')).toHaveCount(0);
}

test.describe('Faults during a generation batch', () => {
  test('the diffusion worker dies mid-batch: finished images kept, the rest resumed in a fresh worker', async ({ page }) => {
    await openStudio(page, 'wasm', 'generate');
    await waitForGenerator(page);
    await startBatch(page, 6);
    await expect(page.getByTestId('gallery-count')).toHaveText('1', { timeout: 120_000 });
    const worker = await findWorker(page, 'diffusion');
    // what a crash or an out-of-memory kill looks like from the page: the worker is gone, no message says so
    await worker.evaluate(() => self.close()).catch(() => undefined);
    const outcome = page.getByTestId('batch-outcome');
    await expect(outcome).toContainText('The background worker stopped unexpectedly', { timeout: 30_000 });
    const done = Number(await page.getByTestId('gallery-count').textContent());
    expect(done).toBeLessThan(BATCH);
    await expect(outcome).toContainText(`${done} finished image${done === 1 ? '' : 's'} kept in the gallery.`);
    await expectResumeOffer(page, done, /stopped unexpectedly/);
    await resumeToTheEnd(page);
  });

  test('a backend switch in Settings mid-batch settles the running image; the batch resumes on the new backend', async ({ page }) => {
    await openStudio(page, 'wasm', 'generate');
    await waitForGenerator(page);
    await startBatch(page, 6);
    await expect(page.getByTestId('gallery-count')).toHaveText('1', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Settings' }).click();
    // Automatic runs WASM on this machine's software adapter, so the new generator loads in seconds
    await page.getByLabel('Backend').selectOption('auto');
    const outcome = page.getByTestId('batch-outcome');
    await expect(outcome).toContainText('The compute backend was changed in Settings', { timeout: 30_000 });
    const done = Number(await page.getByTestId('gallery-count').textContent());
    expect(done).toBeLessThan(BATCH);
    await expectResumeOffer(page, done, /backend was changed/);
    await resumeToTheEnd(page);
  });

  test('the tab is reloaded mid-batch: the gallery and the unfinished rest survive, and resume', async ({ page }) => {
    await openStudio(page, 'wasm', 'generate');
    await waitForGenerator(page);
    await startBatch(page, 6);
    await expect(page.getByTestId('gallery-count')).toHaveText('1', { timeout: 120_000 });
    await page.reload();
    await expect(page.getByTestId('interrupted-batch')).toBeVisible({ timeout: 30_000 });
    const done = Number(/stopped after (\d+) of/.exec((await page.getByTestId('interrupted-batch').textContent()) ?? '')?.[1]);
    await expect(page.getByTestId('gallery-count')).toHaveText(String(done));
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(BATCH);
    await expectResumeOffer(page, done, /when the page was closed or reloaded/);
    await resumeToTheEnd(page);
  });
});
