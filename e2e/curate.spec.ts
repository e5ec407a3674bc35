import { unzipSync } from 'fflate';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect, expectAccessible, generateTwoExampleImages, openStudio, scoreAndKeepAll, test } from './fixtures.ts';
import { cxr256 } from '../cli/testing/shared.ts';

test.describe('Curate', () => {
  test('generate 2 images, filter, review two by keyboard, reload keeps reviews, export the kept zip', async ({ page }) => {
    test.setTimeout(1_200_000);
    // 1. A small batch: 2 images, 2 DDIM steps, WASM, conditioned on the bundle's Shenzhen mean mask
    await generateTwoExampleImages(page);

    // 2. Proxy filter: score both, then thresholds that keep everything
    await scoreAndKeepAll(page, 2);
    await expect(page.getByTestId('kept-per-prompt')).toContainText('chest x-ray, tuberculosis, adult');
    // adherence: both images were made for tuberculosis with a mask, so both count for both numbers
    const adherence = page.getByTestId('adherence').locator('tr[data-group="all"] td');
    await expect(adherence.nth(1)).toHaveText('2');
    await expect(adherence.nth(2)).toHaveText(/^(0|0\.5|1)\.?\d* \(2\)$/);
    await expect(adherence.nth(4)).toHaveText(/^0\.\d{3} \(2\)$/);
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
    await expectAccessible(page); // review mode, with a draft
    await expect(panel).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(panel).toContainText('Review 2 of 2');
    await expect(panel).toBeFocused();
    await page.keyboard.press('2');
    await page.keyboard.press('n');
    await page.keyboard.press('x');
    await expect(page.getByTestId('curate-item').nth(0)).toContainText('Dr. E2E: accept');
    await expect(page.getByTestId('curate-item').nth(1)).toContainText('Dr. E2E: reject');

    // 4. Reload: reviews, proxy scores and thresholds come back (IndexedDB, localStorage), no rescoring
    await page.reload();
    await expect(page.getByTestId('curate-item').nth(0)).toContainText('Dr. E2E: accept');
    await expect(page.getByTestId('curate-item').nth(1)).toContainText('Dr. E2E: reject');
    await expect(page.getByTestId('acceptance-prompt')).toContainText('50%');
    await expect(page.locator('[data-testid="curate-item"][data-verdict="kept"]')).toHaveCount(2, { timeout: 180_000 });
    await expect(page.getByRole('button', { name: 'Score with the proxy model' })).toBeDisabled();

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
    expect(provenance.proxy.judge, 'the models that scored it').toEqual({ classifier: 'cxr-studio-v1', segmenter: 'cxr-studio-v1' });
    expect(provenance.proxy.maskDice).toBeGreaterThan(0);
    expect(provenance.reviews).toEqual([expect.objectContaining({ reviewer: 'Dr. E2E', realism: 4, findingPresent: 'yes', artefacts: ['mask ignored'], decision: 'accept' })]);
    console.log(`proxy of the kept image: p(tuberculosis) ${provenance.proxy.findingProbability.toFixed(3)}, Dice ${provenance.proxy.maskDice.toFixed(3)}`);
  });
});

const SHENZHEN = cxr256('shenzhen_tb_lungseg');

/** A small real set: the first `n` rows of each class in the train and the test split, copied with their images. */
async function smallRealSet(dir: string, n: number): Promise<void> {
  const lines = (await readFile(join(SHENZHEN, 'labels.csv'), 'utf8')).trim().split('\n').slice(1);
  const picked: string[] = [];
  for (const split of ['train', 'test']) {
    for (const label of ['normal', 'tuberculosis']) {
      const rows = lines.map((l) => l.split(',')).filter((c) => c[2] === label && c[4] === split).slice(0, n);
      picked.push(...rows.map((c) => `${c[0]},${label},${split}`));
    }
  }
  await mkdir(join(dir, 'images'), { recursive: true });
  for (const row of picked) await copyFile(join(SHENZHEN, row.split(',')[0]), join(dir, row.split(',')[0]));
  await writeFile(join(dir, 'labels.csv'), `file,label,split\n${picked.join('\n')}\n`);
}

test.describe('Curate: quality and the augmentation experiment', () => {
  test.skip(!existsSync(SHENZHEN), `real X-rays not found at ${SHENZHEN} (shared data is not part of a clone)`);
  test('the browser experiment gives the CLI numbers for the same seed, real set and exported synthetic set', async ({ page }) => {
    test.setTimeout(1_200_000);
    const work = await mkdtemp(join(tmpdir(), 'cxr-curate-e2e-'));
    await smallRealSet(join(work, 'real'), 10);

    await openStudio(page, 'wasm', 'generate');
    await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout: 600_000 });
    await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, tuberculosis, adult');
    await page.getByLabel('Steps', { exact: true }).fill('2');
    await page.getByLabel('Seed', { exact: true }).fill('21');
    await page.getByLabel('Batch size', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('gallery-count')).toHaveText('2', { timeout: 300_000 });

    await scoreAndKeepAll(page, 2);

    await page.getByRole('button', { name: 'Diversity per prompt (MS-SSIM)' }).click();
    await expect(page.getByTestId('diversity')).toContainText('chest x-ray, tuberculosis, adult');
    const msSsim = Number((await page.getByTestId('diversity').locator('tbody td').nth(2).textContent()) ?? 'NaN');
    expect(msSsim).toBeGreaterThan(0);
    expect(msSsim).toBeLessThanOrEqual(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export kept images (zip)' }).click()]);
    const files = unzipSync(new Uint8Array(await readFile(await download.path())));
    for (const [name, bytes] of Object.entries(files)) {
      await mkdir(dirname(join(work, 'synthetic', name)), { recursive: true });
      await writeFile(join(work, 'synthetic', name), bytes);
    }

    await page.getByLabel(/Real set/).setInputFiles(join(work, 'real'));
    await expect(page.getByText('classes normal, tuberculosis; 20 training and 20 test images')).toBeVisible({ timeout: 300_000 });
    await page.getByRole('button', { name: 'FID of the kept synthetic images vs this set' }).click();
    const fidText = await page.getByText(/FID \d+\.\d+ \(classifier features\)/).textContent({ timeout: 120_000 });
    const fidValue = Number(/FID (\d+\.\d+)/.exec(fidText!)![1]);
    console.log(`FID of 2 synthetic vs 40 real (classifier features): ${fidValue}`);
    expect(fidValue).toBeGreaterThan(0);
    await page.getByLabel('Real training sizes').fill('8,20');
    await page.getByLabel('Synthetic ratios').fill('0,0.25');
    await page.getByLabel('Seed', { exact: true }).fill('3');
    await page.getByLabel('Bootstrap iterations').fill('200');
    // C must be above 0, not at it: 0 is flagged and the last C (1, the CLI's default) is what runs
    const C = page.getByLabel('C (inverse L2)');
    await C.fill('0');
    await expect(page.getByText('More than 0; 1 is kept')).toBeVisible();
    await C.press('Tab');
    await expect(C).toHaveValue('1');
    await page.getByRole('button', { name: 'Run the experiment' }).click();
    const table = page.getByTestId('experiment-rows');
    await expect(table).toBeVisible({ timeout: 120_000 });
    const browserRows = JSON.parse((await table.getAttribute('data-rows'))!);

    const out = join(work, 'cli.json');
    execFileSync('npx', ['tsx', 'cli/main.ts', 'augment-experiment', '--real', join(work, 'real'), '--synthetic', join(work, 'synthetic'), '--sizes', '8,20', '--ratios', '0,0.25', '--seed', '3', '--bootstrap', '200', '--threads', '1', '--out', out], { cwd: resolve(import.meta.dirname, '..'), stdio: 'inherit' });
    const cli = JSON.parse(await readFile(out, 'utf8'));
    console.log(`browser rows: ${JSON.stringify(browserRows.map((r: { size: number; ratio: number; f1: { estimate: number } }) => [r.size, r.ratio, r.f1.estimate]))}`);
    expect(cli.rows.map((r: { syntheticCount: number }) => r.syntheticCount)).toEqual([0, 2, 0, 2]);
    expect(browserRows).toEqual(cli.rows);

    // No resamples: the same estimates, without intervals (neither "[NaN, NaN]" in the table nor NaN in the plot)
    await page.getByLabel('Bootstrap iterations').fill('0');
    await page.getByRole('button', { name: 'Run the experiment' }).click();
    await expect(table).not.toHaveAttribute('data-rows', JSON.stringify(browserRows), { timeout: 120_000 });
    const unbounded = JSON.parse((await table.getAttribute('data-rows'))!);
    expect(unbounded.map((r: { f1: { estimate: number } }) => r.f1.estimate)).toEqual(browserRows.map((r: { f1: { estimate: number } }) => r.f1.estimate));
    await expect(table.locator('tbody tr').first().locator('td').nth(4)).toHaveText(/^\d\.\d{3}$/);
    await expect(table).not.toContainText('NaN');
    expect(await page.locator('.experiment-plot').innerHTML()).not.toContain('NaN');
  });
});
