import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { decode } from 'fast-png';
import { unzipSync } from 'fflate';
import { readBundle } from '../cli/bundle.ts';
import { bundleFingerprint } from '../src/core/batch/bundleFingerprint.ts';
import { expect, generateTwoExampleImages, openStudio, test } from './fixtures.ts';

const BUNDLE = resolve(import.meta.dirname, '../public/models/cxr-studio-v1');
const MAIN = resolve(import.meta.dirname, '../cli/main.ts');

/** Unzips a job into WORK/job and runs `cxr-studio batch run` on it into WORK/out, on one CPU thread. */
function batchRun(files: Record<string, Uint8Array>, work: string): void {
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(work, 'job', name)), { recursive: true });
    writeFileSync(join(work, 'job', name), bytes);
  }
  const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'batch', 'run', join(work, 'job/spec.json'), '--out', join(work, 'out'), '--threads', '1', '--device', 'cpu'], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(run.status, run.stderr).toBe(0);
}

/** Every image batch run finished in `out`, kept or rejected: stem -> the folder it lies in. */
function finished(out: string): Map<string, string> {
  const images = new Map<string, string>();
  for (const root of [out, join(out, 'rejected')]) {
    if (!existsSync(join(root, 'provenance'))) continue;
    for (const file of readdirSync(join(root, 'provenance'))) images.set(file.replace(/\.json$/, ''), root);
  }
  return images;
}

test('Export as batch job: the Generate form as a spec that cxr-studio batch run runs', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page, 'wasm', 'generate');
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, pneumonia, pa view, adult');
  await page.getByLabel('Steps', { exact: true }).fill('2');
  await page.getByLabel('Seed', { exact: true }).fill('41');
  await page.getByLabel('Mask', { exact: true }).selectOption({ label: 'example: examples/lung_mean_shenzhen.png' });
  await page.getByLabel('Seeds in the batch job', { exact: true }).fill('2');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as batch job' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('cxr-batch-job.zip');

  const work = mkdtempSync(join(tmpdir(), 'cxr-batch-e2e-'));
  try {
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(files).sort()).toEqual(['masks/m1.png', 'spec.json']);
    const spec = JSON.parse(new TextDecoder().decode(files['spec.json']));
    const manifest = readBundle(BUNDLE);
    expect(spec).toMatchObject({
      format: 'cxr-studio-batch/1',
      bundle: { id: 'cxr-studio-v1', fingerprint: await bundleFingerprint(manifest) },
      prompts: ['chest x-ray, pneumonia, pa view, adult'],
      masks: [{ path: 'masks/m1.png', convention: 'shenzhen' }],
      seeds: { start: 41, count: 2 },
      settings: { steps: 2 },
    });
    // the example mask travels as the bundle's own file
    expect(Buffer.from(files['masks/m1.png']).equals(readFileSync(join(BUNDLE, 'examples/lung_mean_shenzhen.png')))).toBe(true);
    batchRun(files, work);
    expect([...finished(join(work, 'out')).keys()].sort()).toEqual(['p1-m1-seed41', 'p1-m1-seed42']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('Export as batch job on the Masks page: batch run remakes the variants the page shows, lesion included', async ({ page }) => {
  test.setTimeout(300_000);
  // tall enough that the whole mask canvas is on screen: page.mouse does not scroll
  await page.setViewportSize({ width: 1400, height: 1400 });
  await openStudio(page, 'wasm', 'generate');
  // the page has no prompt of its own: the job takes the Generate form's
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, no finding, adult');
  await page.getByLabel('Steps', { exact: true }).fill('2');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByRole('link', { name: 'Masks' }).click();
  await page.getByLabel('Example mask').selectOption({ index: 1 });
  await expect(page.getByTestId('mask-message')).toContainText('Loaded example');
  // a lesion stroke in the lower right lung (image left), which the job carries as the lung's extra layer
  await page.getByLabel('Edit lesion').check();
  const box = (await page.getByTestId('mask-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.62);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.36, box.y + box.height * 0.68, { steps: 10 });
  await page.mouse.up();
  await page.getByLabel('Number of variants').fill('2');
  await page.getByLabel('Variant seed').fill('5');
  await page.getByRole('spinbutton', { name: 'Rotate (°) max', exact: true }).fill('20');
  await page.getByRole('button', { name: 'Make variants' }).click();
  await expect(page.getByTestId('mask-variant')).toHaveCount(2);
  const shown = await page.evaluate(() => (window as unknown as { cxrStudio: { masks: () => { variants: { layers: { lung: Uint8Array; lesion: Uint8Array } }[] } } }).cxrStudio.masks().variants.map((v) => ({ lung: Array.from(v.layers.lung), lesion: v.layers.lesion.some((x) => x > 0) })));
  expect(shown.every((v) => v.lesion)).toBe(true);
  await expect(page.getByTestId('masks-batch-summary')).toContainText('The 2 variants below');
  await expect(page.getByTestId('masks-batch-summary')).toContainText('chest x-ray, no finding, adult');
  await page.getByLabel('Seeds in the batch job', { exact: true }).fill('1');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as batch job' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('cxr-batch-job.zip');

  const work = mkdtempSync(join(tmpdir(), 'cxr-batch-masks-e2e-'));
  try {
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(files).sort()).toEqual(['masks/m1-lesion.png', 'masks/m1.png', 'spec.json']);
    const spec = JSON.parse(new TextDecoder().decode(files['spec.json']));
    expect(spec).toMatchObject({
      prompts: ['chest x-ray, no finding, adult'],
      masks: [{ path: 'masks/m1.png', extraLayers: [{ layer: 'lesion', path: 'masks/m1-lesion.png' }] }],
      variants: { count: 2, seed: 5, ranges: { rotateDeg: [-10, 20] } },
      seeds: { start: 7, count: 1 },
      settings: { steps: 2 },
    });
    batchRun(files, work);
    const made = finished(join(work, 'out'));
    expect([...made.keys()].sort()).toEqual(['p1-m1v1-seed7', 'p1-m1v2-seed7']);
    for (const [stem, root] of made) {
      // the conditioning mask batch run wrote next to the image is the page's variant (0/255 of its 0/1)
      const { data } = decode(readFileSync(join(root, 'masks', `${stem}.png`)));
      const variant = shown[Number(/m1v(\d+)/.exec(stem)![1]) - 1];
      expect(Array.from(data, (v) => (v > 0 ? 1 : 0))).toEqual(variant.lung);
      const provenance = JSON.parse(readFileSync(join(root, 'provenance', `${stem}.json`), 'utf8'));
      expect(provenance.generation.mask_editor.transform).toBeTruthy();
      expect(provenance.generation.mask.layers.map((l: { layer: string }) => l.layer)).toEqual(['lung', 'lesion']);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the Masks page\'s batch job, before Generate was ever opened, has the bundle\'s default sampling', async ({ page }) => {
  const { steps, guidance, scheduler } = JSON.parse(readFileSync(join(BUNDLE, 'manifest.json'), 'utf8')).diffusion.defaults;
  await openStudio(page, 'wasm', 'masks');
  const summary = page.getByTestId('masks-batch-summary');
  // it took the code's fallback (guidance 3) until the Generate form had mounted once
  await expect(summary).toContainText(`${steps} steps, guidance ${guidance}, ${scheduler}`);
  await page.getByRole('link', { name: 'Generate' }).click();
  await expect(page.getByLabel('Guidance', { exact: true })).toHaveValue(String(guidance));
});

test('Export as batch job on the Curate page: the gallery\'s prompt, mask and sampling from provenance, with the thresholds set there', async ({ page }) => {
  test.setTimeout(600_000);
  await generateTwoExampleImages(page);
  // the form changes after the images were made: the job follows their provenance, not the form
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, no finding, adult');
  await page.getByLabel('Steps', { exact: true }).fill('3');

  await page.getByRole('link', { name: 'Curate' }).click();
  await expect(page.getByTestId('curate-batch-summary')).toContainText('2 images here (1 prompt, 1 mask; 2 steps');
  await page.getByLabel('Min. mask Dice (mask-conditioned images)').fill('0.6');
  await page.getByLabel('Seeds in the batch job', { exact: true }).fill('1');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as batch job' }).click();
  const download = await downloading;

  const work = mkdtempSync(join(tmpdir(), 'cxr-batch-curate-e2e-'));
  try {
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(files).sort()).toEqual(['masks/m1.png', 'spec.json']);
    const spec = JSON.parse(new TextDecoder().decode(files['spec.json']));
    expect(spec).toMatchObject({
      prompts: ['chest x-ray, tuberculosis, adult'],
      masks: [{ path: 'masks/m1.png', convention: 'shenzhen' }],
      seeds: { start: 11, count: 1 },
      settings: { steps: 2 },
      filter: { minMaskDice: 0.6 },
    });
    batchRun(files, work);
    const made = finished(join(work, 'out'));
    expect([...made.keys()]).toEqual(['p1-m1-seed11']);
    const record = JSON.parse(readFileSync(join(made.get('p1-m1-seed11')!, 'provenance', 'p1-m1-seed11.json'), 'utf8'));
    expect(record.generation).toMatchObject({ prompt: 'chest x-ray, tuberculosis, adult', seed: 11, steps: 2, mask: { layers: [{ layer: 'lung', convention: 'shenzhen' }] } });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
