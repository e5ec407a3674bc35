import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, expectAccessible, openStudio, saveScreenshot, test, waitForModels } from './fixtures.ts';

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
    await saveScreenshot(page, 'analyze');
    await expectAccessible(page);
  });

  test('Evaluate: the example set is evaluated with the built-in models', async ({ page }) => {
    test.setTimeout(420_000);
    await openStudio(page, 'wasm', 'evaluate');
    await expect(page.getByTestId('try-example')).toBeEnabled({ timeout: 60_000 });
    await page.getByTestId('try-example').click();
    await expect(page.getByTestId('images-count')).toContainText(`${rows.length} image file(s)`);
    // a demo is clean: images without a mask are classification-only cases, said once, not input issues
    await expect(page.getByTestId('validation-counts')).toContainText(`${rows.length - withMasks} image(s) have no mask: scored for classification only`);
    await expect(page.getByTestId('validation-issues')).toHaveCount(0);
    await expect(page.getByTestId('eval-status')).toHaveText(/· done/, { timeout: 360_000 });
    // the set comes from the classifier's training sources' test splits (scripts/make_examples.py): no shift warning
    await expect(page.getByTestId('eval-shift-summary')).toContainText(`of ${rows.length} image(s)`);
    await expect(page.getByTestId('eval-shift-warning')).toHaveCount(0);
    // three classes with examples: an AUC, and the average names the class it leaves out
    await expect(page.getByTestId('classification-results')).toContainText('not averaged, no examples: tuberculosis.');
    await expect(page.getByTestId('classification-results')).not.toContainText('No AUC');
    const macroF1 = Number(await page.getByTestId('eval-macro-f1').textContent());
    const meanDice = Number(await page.getByTestId('eval-mean-dice').textContent());
    console.log(`example set (${rows.length} images, ${withMasks} masks): macro F1 ${macroF1}, mean Dice ${meanDice}`);
    expect(macroF1).toBeGreaterThan(0);
    expect(meanDice).toBeGreaterThan(0.8);
    await saveScreenshot(page, 'evaluate');
    await expectAccessible(page);
  });

  test('Generate: one image from an example prompt and the example lung mask, with the form showing what made it', async ({ page, offsite }) => {
    test.setTimeout(300_000);
    const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models/cxr-studio-v1/manifest.json'), 'utf8'));
    await openStudio(page, 'wasm', 'generate');
    await expect(page.getByTestId('gallery-empty')).toBeVisible();
    await expect(page.getByTestId('try-example')).toBeEnabled({ timeout: 180_000 });
    await page.getByTestId('try-example').click();
    await expect(page.getByTestId('gallery-count')).toHaveText('1', { timeout: 180_000 });
    await expect(page.getByTestId('gallery-empty')).toHaveCount(0);
    const provenance = page.getByTestId('provenance').first();
    await expect(provenance).toContainText(`"prompt": "${manifest.prompt.examples[1]}"`);
    await expect(provenance).toContainText(`"steps": ${manifest.diffusion.fast.steps}`);
    await expect(provenance).toContainText(manifest.example_masks[0].sha256);
    await expect(page.getByTestId('gallery-item').locator('canvas.outline')).toHaveCount(1);
    await expect(page.getByLabel('Prompt', { exact: true })).toHaveValue(manifest.prompt.examples[1]);
    await expect(page.getByLabel('Mask', { exact: true })).toHaveValue(`example:${manifest.example_masks[0].file}`);
    // the example mask's measured adherence for the prompted finding (scripts/measure-example-masks.ts), by both judges
    const pneumoniaBy = (file: string) => (manifest.example_masks as { file: string; prompt_adherence: { by: Record<string, Record<string, number>> } }[]).find((m) => m.file === file)!.prompt_adherence.by;
    const v7 = pneumoniaBy(manifest.example_masks[0].file);
    await expect(page.getByTestId('mask-adherence')).toContainText(`were read as pneumonia: ${Math.round(v7['cxr-studio-v1'].pneumonia * 100)}% by cxr-studio-v1's classifier, ${Math.round(v7['reference-v0'].pneumonia * 100)}% by reference-v0's`);
    await saveScreenshot(page, 'hero', { fullPage: false });
    await saveScreenshot(page, 'generate');
    await expectAccessible(page);
    // the Shenzhen-convention mask pulls a pneumonia prompt towards tuberculosis: the note says so
    const shenzhen = 'examples/lung_mean_shenzhen.png';
    expect(pneumoniaBy(shenzhen)['cxr-studio-v1'].pneumonia).toBeLessThan(0.5);
    await page.getByLabel('Mask', { exact: true }).selectOption(`example:${shenzhen}`);
    await expect(page.getByTestId('mask-adherence')).toContainText('This mask pulls the images away from the prompt');
    await expect(page.getByTestId('mask-adherence')).toHaveClass(/warning/);
    await expectAccessible(page);
    expect(offsite).toEqual([]);
  });

  test('Curate: an example batch is generated and scored with the proxy model', async ({ page }) => {
    test.setTimeout(420_000);
    await openStudio(page, 'wasm', 'curate');
    await expect(page.getByTestId('try-example')).toBeEnabled({ timeout: 120_000 });
    await page.getByTestId('try-example').click();
    await expect(page.getByTestId('curate-item')).toHaveCount(4, { timeout: 360_000 });
    await expect(page.locator('[data-testid="curate-item"][data-verdict="unscored"]')).toHaveCount(0, { timeout: 120_000 });
    await expect(page.getByTestId('try-example')).toHaveText('Try with example data');
    await saveScreenshot(page, 'curate');
    await expectAccessible(page);
  });
});
