import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { expect, openStudio, test } from './fixtures.ts';

test.describe('Curate', () => {
  test('generate 2 images, filter, review two by keyboard, reload keeps reviews, export the kept zip', async ({ page }) => {
    test.setTimeout(1_200_000);
    // 1. A small batch: 2 images, 2 DDIM steps, WASM, conditioned on the bundle's Shenzhen mean mask
    await openStudio(page, 'wasm', 'generate');
    await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout: 600_000 });
    await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, tuberculosis, adult');
    await page.getByLabel('Mask', { exact: true }).selectOption('example:examples/lung_mean_shenzhen.png');
    await page.getByLabel('Steps', { exact: true }).fill('2');
    await page.getByLabel('Seed', { exact: true }).fill('11');
    await page.getByLabel('Batch size', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('gallery-count')).toHaveText('2', { timeout: 300_000 });

    // 2. Proxy filter: score both, then thresholds that keep everything
    await page.goto('/#/curate');
    const score = page.getByRole('button', { name: 'Score with the proxy model' });
    await expect(score).toBeEnabled({ timeout: 180_000 });
    await score.click();
    await expect(page.locator('[data-testid="curate-item"][data-verdict="unscored"]')).toHaveCount(0, { timeout: 180_000 });
    await page.getByLabel('Min. probability of the prompted finding').fill('0');
    await page.getByLabel('Min. mask Dice (mask-conditioned images)').fill('0');
    await expect(page.locator('[data-testid="curate-item"][data-verdict="kept"]')).toHaveCount(2);
    await expect(page.getByTestId('kept-per-prompt')).toContainText('chest x-ray, tuberculosis, adult');
    await page.getByLabel('Min. mask Dice (mask-conditioned images)').fill('1.01');
    await expect(page.locator('[data-testid="curate-item"][data-verdict="rejected"]')).toHaveCount(2);
    await page.getByLabel('Min. mask Dice (mask-conditioned images)').fill('0');

    // 3. Review both by keyboard: accept the first, reject the second
    await page.getByLabel('Reviewer name').fill('Dr. E2E');
    await page.getByTestId('curate-item').first().getByRole('button').click();
    const panel = page.getByTestId('review-panel');
    await expect(panel).toBeFocused();
    await page.keyboard.press('4');
    await page.keyboard.press('y');
    await page.keyboard.press('m');
    await expect(page.getByTestId('draft-realism')).toHaveText('Realism: 4 / 5');
    await page.keyboard.press('Enter');
    await expect(panel).toContainText('Review 2 of 2');
    await expect(panel).toBeFocused();
    await page.keyboard.press('2');
    await page.keyboard.press('n');
    await page.keyboard.press('x');
    await expect(page.getByTestId('curate-item').nth(0)).toContainText('Dr. E2E: accept');
    await expect(page.getByTestId('curate-item').nth(1)).toContainText('Dr. E2E: reject');

    // 4. Reload: reviews come back from IndexedDB; score again for the export
    await page.reload();
    await expect(page.getByTestId('curate-item').nth(0)).toContainText('Dr. E2E: accept');
    await expect(page.getByTestId('curate-item').nth(1)).toContainText('Dr. E2E: reject');
    await expect(page.getByTestId('acceptance-prompt')).toContainText('50%');
    await expect(score).toBeEnabled({ timeout: 180_000 });
    await score.click();
    await expect(page.locator('[data-testid="curate-item"][data-verdict="unscored"]')).toHaveCount(0, { timeout: 180_000 });

    // 5. Export: only the accepted image is kept (the reviewer rejected the other)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export kept images (zip)' }).click()]);
    const files = unzipSync(new Uint8Array(await readFile(await download.path())));
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(4);
    expect(names.filter((n) => n.startsWith('images/'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('masks/'))).toHaveLength(1);
    expect(names).toContain('labels.csv');
    const labels = new TextDecoder().decode(files['labels.csv']).trim().split('\n');
    expect(labels).toHaveLength(2);
    expect(labels[1]).toContain('tuberculosis');
    expect(labels[1]).toContain('accept');
    const provenance = JSON.parse(new TextDecoder().decode(files[names.find((n) => n.startsWith('provenance/'))!]));
    expect(provenance.generation.prompt).toBe('chest x-ray, tuberculosis, adult');
    expect(provenance.generation.steps).toBe(2);
    expect(provenance.generation.mask.layers[0].convention).toBe('shenzhen');
    expect(provenance.proxy.findingClass).toBe('tuberculosis');
    expect(provenance.proxy.maskChannel).toBe('lung_shenzhen');
    expect(provenance.proxy.maskDice).toBeGreaterThan(0);
    expect(provenance.reviews).toEqual([expect.objectContaining({ reviewer: 'Dr. E2E', realism: 4, findingPresent: 'yes', artefacts: ['mask ignored'], decision: 'accept' })]);
    console.log(`proxy of the kept image: p(tuberculosis) ${provenance.proxy.findingProbability.toFixed(3)}, Dice ${provenance.proxy.maskDice.toFixed(3)}`);
  });
});
