import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './augmentExperiment.ts';
import { defaultBundleDir } from './bundle.ts';
import { readRealPairs, readSyntheticPairs } from './segAugmentExperiment.ts';
import { cxr256 } from './testing/shared.ts';

const SHENZHEN = cxr256('shenzhen_tb_lungseg');
const bundlePresent = (() => {
  try {
    return existsSync(join(defaultBundleDir(), 'manifest.json'));
  } catch {
    return false;
  }
})();
const skipReason = !existsSync(SHENZHEN) ? `skipped: ${SHENZHEN} is absent` : !bundlePresent ? 'skipped: no model bundle in public/models' : '';
const work = mkdtempSync(join(tmpdir(), 'cxr-seg-augment-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A stand-in for generate's output: real test images (past the ones scored) as "synthetic"
 * images, each with a provenance JSON naming its mask and sha256, the masks in their own folder.
 */
function fakeGenerateOutput(): { syn: string; masks: string } {
  const syn = join(work, 'syn');
  const masks = join(work, 'masks');
  mkdirSync(syn);
  mkdirSync(masks);
  for (const [i, pair] of readRealPairs(SHENZHEN, 'test').slice(20, 23).entries()) {
    copyFileSync(pair.image, join(syn, `s${i}.png`));
    copyFileSync(pair.mask, join(masks, basename(pair.mask)));
    const sha256 = createHash('sha256').update(readFileSync(pair.mask)).digest('hex');
    writeFileSync(join(syn, `s${i}.json`), JSON.stringify({ prompt: 'chest x-ray, tuberculosis, adult', mask: { name: basename(pair.mask), sha256 } }));
  }
  return { syn, masks };
}

describe('augment-experiment --task segmentation', () => {
  it.skipIf(Boolean(skipReason))(`runs end to end through the built-in segmenter on Shenzhen, the same numbers twice ${skipReason}`, async () => {
    const { syn, masks } = fakeGenerateOutput();
    const args = (out: string) => ['--task', 'segmentation', '--real', SHENZHEN, '--synthetic', syn, '--synthetic-masks', masks,
      '--sizes', '3', '--ratios', '0,1', '--pixels', '64', '--test-limit', '6', '--bootstrap', '100', '--out', out];
    const log = console.log;
    console.log = () => {};
    try {
      expect(await run(args(join(work, 'a.json')))).toBe(0);
      expect(await run(args(join(work, 'b.json')))).toBe(0);
    } finally {
      console.log = log;
    }
    const a = JSON.parse(readFileSync(join(work, 'a.json'), 'utf8'));
    expect(readFileSync(join(work, 'b.json'), 'utf8')).toBe(readFileSync(join(work, 'a.json'), 'utf8'));
    expect(a).toMatchObject({ task: 'segmentation', channel: 'lung_shenzhen', counts: { real: 3, synthetic: 3, test: 6 }, pixels_per_image: 64 });
    expect(a.rows.map((r: { size: number; ratio: number; syntheticCount: number }) => [r.size, r.ratio, r.syntheticCount])).toEqual([[3, 0, 0], [3, 1, 3]]);
    expect(a.frozen.estimate).toBeGreaterThan(0.8);
    expect(a.rows[0].gain).toBeNull();
    for (const row of a.rows) expect(row.dice.low).toBeLessThanOrEqual(row.dice.estimate);
    expect(a.rows[1].gain.low).toBeLessThanOrEqual(a.rows[1].gain.estimate);
  }, 120_000);

  it('refuses a synthetic image whose mask is missing or not the one it was conditioned on', () => {
    const dir = join(work, 'bad');
    mkdirSync(join(dir, 'masks'), { recursive: true });
    writeFileSync(join(dir, 'x.png'), '');
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ mask: { name: 'm.png', sha256: '00' } }));
    expect(() => readSyntheticPairs(dir, undefined)).toThrow('give the folder of conditioning masks as --synthetic-masks DIR');
    expect(() => readSyntheticPairs(dir, join(dir, 'masks'))).toThrow('does not exist');
    writeFileSync(join(dir, 'masks', 'm.png'), 'other');
    expect(() => readSyntheticPairs(dir, join(dir, 'masks'))).toThrow('not the mask the image was conditioned on');
  });
});
