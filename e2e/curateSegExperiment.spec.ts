import { encode } from 'fast-png';
import { unzipSync, zipSync } from 'fflate';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseCsv } from '../src/core/data/csvTable.ts';
import { DATA, DATA_SKIP_MESSAGE, dataMissing, expect, MASK, openStudio, scoreAndKeepAll, test } from './fixtures.ts';

/** The first `train` and `test` Shenzhen rows with a lung mask, copied with their files (never into the repository). */
async function smallShenzhen(dir: string, train: number, test: number): Promise<void> {
  const rows = parseCsv(await readFile(join(DATA, 'labels.csv')), 'labels.csv').rows.filter((r) => r.mask);
  const picked = [...rows.filter((r) => r.split === 'train').slice(0, train), ...rows.filter((r) => r.split === 'test').slice(0, test)];
  await mkdir(join(dir, 'images'), { recursive: true });
  await mkdir(join(dir, 'masks'), { recursive: true });
  for (const r of picked) {
    await copyFile(join(DATA, r.file), join(dir, r.file));
    await copyFile(join(DATA, r.mask), join(dir, r.mask));
  }
  await writeFile(join(dir, 'labels.csv'), `file,mask,label,split\n${picked.map((r) => `${r.file},${r.mask},${r.label},${r.split}`).join('\n')}\n`);
}

/** Folders the page must refuse, each with the words it should say. */
async function badFolders(work: string): Promise<{ dir: string; says: string }[]> {
  const noLabels = join(work, 'no_labels');
  await mkdir(join(noLabels, 'images'), { recursive: true });
  await copyFile(join(work, 'shenzhen_small', 'labels.csv'), join(noLabels, 'images', 'notes.txt'));
  const noMaskColumn = join(work, 'no_mask_column');
  await mkdir(noMaskColumn, { recursive: true });
  await writeFile(join(noMaskColumn, 'labels.csv'), 'file,label,split\nimages/a.png,normal,train\n');
  const wrongSize = join(work, 'wrong_size');
  await mkdir(join(wrongSize, 'images'), { recursive: true });
  await mkdir(join(wrongSize, 'masks'), { recursive: true });
  const rows = parseCsv(await readFile(join(work, 'shenzhen_small', 'labels.csv'))).rows;
  const [train, testRow] = [rows.find((r) => r.split === 'train')!, rows.find((r) => r.split === 'test')!];
  for (const r of [train, testRow]) await copyFile(join(work, 'shenzhen_small', r.file), join(wrongSize, r.file));
  await copyFile(join(work, 'shenzhen_small', train.mask), join(wrongSize, train.mask));
  await writeFile(join(wrongSize, testRow.mask), encode({ width: 128, height: 128, channels: 1, depth: 8, data: new Uint8Array(128 * 128) }));
  await writeFile(join(wrongSize, 'labels.csv'), `file,mask,split\n${train.file},${train.mask},train\n${testRow.file},${testRow.mask},test\n`);
  return [
    { dir: noLabels, says: 'the folder no_labels has no labels.csv' },
    { dir: noMaskColumn, says: 'needs columns file, mask, split; has [file, label, split]' },
    { dir: wrongSize, says: `${testRow.mask}: 128x128, the image ${testRow.file} is 256x256` },
  ];
}

test.describe('Curate: the segmentation augmentation experiment', () => {
  test.skip(dataMissing, DATA_SKIP_MESSAGE);
  test('the browser gives the CLI rows and frozen Dice for the same seed, real pairs and exported synthetic pairs', async ({ page }) => {
    test.setTimeout(1_200_000);
    const work = await mkdtemp(join(tmpdir(), 'cxr-curate-seg-e2e-'));
    const real = join(work, 'shenzhen_small'); // *shenzhen*: the CLI and the page both pick the lung_shenzhen channel
    await smallShenzhen(real, 10, 6);

    // 1. Two images conditioned on a Shenzhen test-split lung mask, 2 DDIM steps, WASM
    await openStudio(page, 'wasm', 'generate');
    await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout: 600_000 });
    await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, tuberculosis, adult');
    await page.getByLabel('Mask PNG').setInputFiles(MASK);
    await page.getByLabel('Mask convention').selectOption('shenzhen');
    await page.getByLabel('Steps', { exact: true }).fill('2');
    await page.getByLabel('Seed', { exact: true }).fill('31');
    await page.getByLabel('Batch size', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('gallery-count')).toHaveText('2', { timeout: 300_000 });

    // 2. Score and keep both, export the kept zip as the CLI's synthetic set
    await scoreAndKeepAll(page, 2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export kept images (zip)' }).click()]);
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(await readFile(await download.path()))))) {
      await mkdir(dirname(join(work, 'synthetic', name)), { recursive: true });
      await writeFile(join(work, 'synthetic', name), bytes);
    }

    // 3. The real pairs; bad folders are refused with what is wrong, and the loaded set stays
    await page.getByLabel('Task').selectOption('segmentation');
    await expect(page.getByTestId('seg-synthetic-count')).toContainText('2 kept synthetic images have a conditioning mask');
    // the same pairs as one zip dropped on the drop zone first (an entry with ../ is never inflated), then as a picked folder
    const zip = zipSync({ ...(await folderEntries(real, 'shenzhen_small/')), '../outside.png': new Uint8Array(8) });
    const transfer = await page.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'shenzhen_small.zip', { type: 'application/zip' }));
      return dt;
    }, Array.from(zip));
    await page.getByTestId('seg-real-set-drop').dispatchEvent('drop', { dataTransfer: transfer });
    await expect(page.getByTestId('seg-real-set')).toContainText('shenzhen_small: 10 training and 6 test (image, mask) pairs', { timeout: 120_000 });
    await expect(page.getByLabel('Channel')).toHaveValue('lung_shenzhen');
    // the folder's set replaces the zip's: the same pairs, so the sign that it was read is the
    // channel, set back to the one its name implies (the pickers are disabled while a set is read)
    await page.getByLabel('Channel').selectOption('lung');
    const realSet = page.getByLabel(/Real set/);
    await realSet.setInputFiles(real);
    await expect(page.getByLabel('Channel')).toHaveValue('lung_shenzhen', { timeout: 120_000 });
    await expect(page.getByTestId('seg-real-set')).toContainText('shenzhen_small: 10 training and 6 test (image, mask) pairs');
    for (const bad of await badFolders(work)) {
      await realSet.setInputFiles(bad.dir);
      await expect(page.getByTestId('status-error')).toContainText(bad.says);
      await expect(page.getByTestId('seg-real-set')).toContainText('shenzhen_small: 10 training and 6 test');
      await page.getByRole('button', { name: 'Dismiss error' }).click();
    }

    // 4. The experiment in the browser
    await page.getByLabel('Real training sizes').fill('4,10');
    await page.getByLabel('Synthetic ratios').fill('0,0.5');
    await page.getByLabel('Pixels per image').fill('64');
    await page.getByLabel('Seed', { exact: true }).fill('3');
    await page.getByLabel('Bootstrap iterations').fill('200');
    const started = Date.now();
    await page.getByRole('button', { name: 'Run the experiment' }).click();
    const table = page.getByTestId('seg-experiment-rows');
    await expect(table).toBeVisible({ timeout: 300_000 });
    const browserSeconds = (Date.now() - started) / 1000;
    const browserRows = JSON.parse((await table.getAttribute('data-rows'))!);
    const browserFrozen = JSON.parse((await page.getByTestId('seg-frozen').getAttribute('data-frozen'))!);
    await expect(page.getByTestId('seg-frozen')).toContainText('10 real training, 2 of 2 synthetic and 6 test pairs segmented');

    // 5. The CLI on the same files
    const out = join(work, 'cli.json');
    const cliStarted = Date.now();
    execFileSync('npx', ['tsx', 'cli/main.ts', 'augment-experiment', '--task', 'segmentation', '--real', real, '--synthetic', join(work, 'synthetic'),
      '--sizes', '4,10', '--ratios', '0,0.5', '--pixels', '64', '--seed', '3', '--bootstrap', '200', '--threads', '1', '--out', out], { cwd: resolve(import.meta.dirname, '..'), stdio: 'inherit' });
    const cliSeconds = (Date.now() - cliStarted) / 1000;
    const cli = JSON.parse(await readFile(out, 'utf8'));
    console.log(`browser ${browserSeconds.toFixed(1)} s (segment 18 pairs + 4 fits), CLI ${cliSeconds.toFixed(1)} s; frozen Dice ${browserFrozen.estimate} (CLI ${cli.frozen.estimate})`);
    console.log(`browser rows: ${JSON.stringify(browserRows.map((r: { size: number; ratio: number; dice: { estimate: number } }) => [r.size, r.ratio, r.dice.estimate]))}`);
    expect(cli).toMatchObject({ channel: 'lung_shenzhen', counts: { real: 10, synthetic: 2, test: 6 } });
    expect(cli.rows.map((r: { syntheticCount: number }) => r.syntheticCount)).toEqual([0, 2, 0, 2]);
    expect(browserFrozen).toEqual(cli.frozen);
    expect(browserRows).toEqual(cli.rows);

    // 6. Cancel stops a second run; the results shown stay
    await page.getByRole('button', { name: 'Run the experiment' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('status-error')).toContainText('cancelled by the user');
    await expect(page.getByRole('button', { name: 'Run the experiment' })).toBeEnabled();
    expect(JSON.parse((await table.getAttribute('data-rows'))!)).toEqual(browserRows);

    // 7. Without a kept synthetic image that has a mask there is nothing to run; the results shown stay
    await page.getByLabel('Min. mask Dice (mask-conditioned images)').fill('1.01');
    await expect(page.getByTestId('seg-synthetic-count')).toContainText('No kept synthetic image has a conditioning mask');
    await expect(page.getByRole('button', { name: 'Run the experiment' })).toBeDisabled();
    await expect(table).toBeVisible();
  });
});

/** Every file under `dir` as zip entries named `prefix` + its relative path. */
async function folderEntries(dir: string, prefix: string): Promise<Record<string, Uint8Array>> {
  const entries: Record<string, Uint8Array> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    entries[prefix + path.slice(dir.length + 1)] = new Uint8Array(await readFile(path));
  }
  return entries;
}
