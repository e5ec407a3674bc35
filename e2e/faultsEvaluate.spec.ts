import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { DATA, expect, openStudio, test } from './fixtures.ts';

/**
 * Faults during an evaluation run (issue 20 "Faults", issue 21): a backend
 * switch in Settings and a reload, each partway through 64 Shenzhen images.
 * The finished cases are kept (IndexedDB), the page offers to resume, and the
 * resumed run scores only the rest, ending with every image evaluated once.
 */
const COUNT = 64;
const withMasks = existsSync(resolve(DATA, 'masks'))
  ? readdirSync(resolve(DATA, 'masks')).filter((n) => n.endsWith('.png') && existsSync(resolve(DATA, 'images', n))).sort().slice(0, COUNT)
  : [];

async function pickTestSet(page: Page): Promise<void> {
  await page.getByTestId('images-files').setInputFiles(withMasks.map((n) => resolve(DATA, 'images', n)));
  await page.getByTestId('masks-files').setInputFiles(withMasks.map((n) => resolve(DATA, 'masks', n)));
  await expect(page.getByTestId('images-count')).toContainText(`${COUNT} image file(s)`);
}

const shownDone = async (page: Page) => Number(/(\d+) of/.exec((await page.getByTestId('eval-progress').textContent()) ?? '')?.[1] ?? 0);

/** Start the run and wait until part of it is done. */
async function startAndWaitForSome(page: Page): Promise<void> {
  await page.getByTestId('run-evaluation').click();
  await expect.poll(() => shownDone(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(8);
}

/** `shown`: how many cases the page showed as done just before the fault; every one must have been kept. */
async function resumeToTheEnd(page: Page, shown: number): Promise<void> {
  const offer = page.getByTestId('interrupted-evaluation');
  const done = Number(/stopped after (\d+) of/.exec((await offer.textContent()) ?? '')?.[1]);
  expect(done, 'every case the page showed as done was kept').toBeGreaterThanOrEqual(shown);
  expect(done).toBeLessThan(COUNT);
  await offer.getByRole('button', { name: `Resume the remaining ${COUNT - done} cases` }).click();
  await expect(page.getByTestId('eval-status')).toHaveText(' · done', { timeout: 600_000 });
  await expect(page.getByTestId('eval-progress')).toHaveText(` ${COUNT} of ${COUNT}`);
  await expect(page.getByRole('region', { name: 'Results' })).toContainText(`${COUNT} of ${COUNT} evaluated, 0 failed`);
  await expect(offer).toHaveCount(0);
}

test.describe('Faults during an evaluation run', () => {
  test.skip(withMasks.length < COUNT, `${COUNT} Shenzhen images with masks not found at ${DATA} (shared data is not part of a clone)`);

  test('a backend switch mid-run settles it, keeps the finished cases and resumes the rest', async ({ page }) => {
    test.setTimeout(900_000);
    await openStudio(page, 'wasm', 'evaluate');
    await pickTestSet(page);
    await startAndWaitForSome(page);
    const shown = await shownDone(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Backend').selectOption('auto');
    await expect(page.getByTestId('eval-status')).toHaveText(' · failed', { timeout: 30_000 });
    const offer = page.getByTestId('interrupted-evaluation');
    await expect(offer).toContainText('The compute backend was changed in Settings');
    await resumeToTheEnd(page, shown);
  });

  test('a reload mid-run keeps the finished cases; choosing the same images resumes the rest', async ({ page }) => {
    test.setTimeout(900_000);
    await openStudio(page, 'wasm', 'evaluate');
    await pickTestSet(page);
    await startAndWaitForSome(page);
    const shown = await shownDone(page);
    await page.reload();
    const offer = page.getByTestId('interrupted-evaluation');
    await expect(offer).toContainText('when the page was closed or reloaded', { timeout: 30_000 });
    await expect(offer).toContainText('To resume, choose the same images');
    await pickTestSet(page);
    await resumeToTheEnd(page, shown);
  });
});
