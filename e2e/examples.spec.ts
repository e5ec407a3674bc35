import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, openStudio, test, waitForModels } from './fixtures.ts';

// The bundled example set (public/examples) ships with the app: these run on a fresh
// clone, with no user file and no shared data.
const rows = readFileSync(resolve(import.meta.dirname, '../public/examples/labels.csv'), 'utf8').trim().split('\n').slice(1);
const withMasks = rows.filter((row) => row.split(',')[1] !== '').length;

test.describe('Try with example data', () => {
  test('Analyze: an example X-ray is analyzed and its lung mask scored against the ground truth', async ({ page }) => {
    await openStudio(page, 'wasm');
    await waitForModels(page);
    await page.getByTestId('try-example').click();
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 60_000 });
    const dice = Number(/([01]\.\d+)/.exec((await page.getByTestId('gt-dice').textContent()) ?? '')?.[1]);
    console.log(`example X-ray: Dice vs its V7 lung mask ${dice}`);
    expect(dice).toBeGreaterThan(0.8);
  });

  test('Evaluate: the example set is evaluated with the built-in models', async ({ page }) => {
    test.setTimeout(420_000);
    await openStudio(page, 'wasm', 'evaluate');
    await expect(page.getByTestId('try-example')).toBeEnabled({ timeout: 60_000 });
    await page.getByTestId('try-example').click();
    await expect(page.getByTestId('images-count')).toContainText(`${rows.length} image file(s)`);
    await expect(page.getByTestId('eval-status')).toHaveText(/· done/, { timeout: 360_000 });
    const macroF1 = Number(await page.getByTestId('eval-macro-f1').textContent());
    const meanDice = Number(await page.getByTestId('eval-mean-dice').textContent());
    console.log(`example set (${rows.length} images, ${withMasks} masks): macro F1 ${macroF1}, mean Dice ${meanDice}`);
    expect(macroF1).toBeGreaterThan(0);
    expect(meanDice).toBeGreaterThan(0.8);
  });

  test('Curate: an example batch is generated and scored with the proxy model', async ({ page }) => {
    test.setTimeout(420_000);
    await openStudio(page, 'wasm', 'curate');
    await expect(page.getByTestId('try-example')).toBeEnabled({ timeout: 120_000 });
    await page.getByTestId('try-example').click();
    await expect(page.getByTestId('curate-item')).toHaveCount(4, { timeout: 360_000 });
    await expect(page.locator('[data-testid="curate-item"][data-verdict="unscored"]')).toHaveCount(0, { timeout: 120_000 });
    await expect(page.getByTestId('try-example')).toHaveText('Try with example data');
  });
});
