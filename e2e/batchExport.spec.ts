import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { readBundle } from '../cli/bundle.ts';
import { bundleFingerprint } from '../src/core/batch/bundleFingerprint.ts';
import { expect, openStudio, test } from './fixtures.ts';

const BUNDLE = resolve(import.meta.dirname, '../public/models/cxr-studio-v1');
const MAIN = resolve(import.meta.dirname, '../cli/main.ts');

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
    for (const [name, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(work, 'job', name)), { recursive: true });
      writeFileSync(join(work, 'job', name), bytes);
    }
    const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'batch', 'run', join(work, 'job/spec.json'), '--out', join(work, 'out'), '--threads', '1', '--device', 'cpu'], {
      encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(run.status, run.stderr).toBe(0);
    const provenance = ['provenance', 'rejected/provenance'].flatMap((dir) => {
      try {
        return readdirSync(join(work, 'out', dir));
      } catch {
        return [];
      }
    });
    expect(provenance.sort()).toEqual(['p1-m1-seed41.json', 'p1-m1-seed42.json']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
