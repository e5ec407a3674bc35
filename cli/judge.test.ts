import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildJobSpec } from '../src/core/batch/buildJobSpec.ts';
import { readBundle } from './bundle.ts';
import { REJECTED } from './batch/outputFolder.ts';
import { runBatch } from './batch/runCommand.ts';
import { judgeImages, run } from './judge.ts';

// Two 2-step images from a batch job (the Curate export's layout), judged by the shipped
// bundle's fp32 models, the ones the batch scored them with, and by its int8 variant.
const BUNDLE = resolve(import.meta.dirname, '../public/models/cxr-studio-v1');
const work = mkdtempSync(join(tmpdir(), 'cxr-judge-'));
const out = join(work, 'out');
const thresholds = { minFindingProbability: 0.5, minMaskDice: 0.7 };

beforeAll(async () => {
  const manifest = readBundle(BUNDLE);
  const maskBytes = readFileSync(join(BUNDLE, 'examples/lung_mean_shenzhen.png'));
  const spec = await buildJobSpec({
    manifest,
    prompts: ['chest x-ray, tuberculosis, adult'],
    masks: [{ path: 'masks/lung.png', bytes: maskBytes, convention: 'shenzhen' }],
    seeds: { start: 0, count: 2 },
    settings: { steps: 2, guidance: 5, scheduler: 'ddim' },
    filter: { minFindingProbability: 0, minMaskDice: 0 }, // both kept: the zip below is the kept part
  });
  mkdirSync(join(work, 'job', 'masks'), { recursive: true });
  writeFileSync(join(work, 'job', 'masks', 'lung.png'), maskBytes);
  writeFileSync(join(work, 'job', 'spec.json'), JSON.stringify(spec));
  await runBatch({ spec: join(work, 'job', 'spec.json'), out, shard: { index: 0, count: 1 }, device: 'cpu', threads: 1, log: () => {} });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The proxy score the batch stored in each image's provenance, by image name (kept and rejected parts). */
function storedScores(): Record<string, { findingProbability: number; maskDice: number }> {
  const stored: Record<string, { findingProbability: number; maskDice: number }> = {};
  for (const root of ['', `${REJECTED}/`]) {
    let files: string[] = [];
    try {
      files = readdirSync(join(out, root, 'provenance'));
    } catch {
      continue;
    }
    for (const file of files) stored[`${root}${file.slice(0, -5)}`] = JSON.parse(readFileSync(join(out, root, 'provenance', file), 'utf8')).proxy;
  }
  return stored;
}

describe('cxr-studio judge', () => {
  it('gives the batch\'s own proxy scores with the same models, and compares a second judge on the same images', async () => {
    const report = await judgeImages({ synthetic: out, judges: [{ modelDir: BUNDLE, variant: 'fp32' }, { modelDir: BUNDLE, variant: 'int8' }], thresholds, threads: 1 });
    expect(report.judges).toEqual([{ classifier: 'cxr-studio-v1', segmenter: 'cxr-studio-v1' }, { classifier: 'cxr-studio-v1 int8', segmenter: 'cxr-studio-v1 int8' }]);
    expect(report.images).toHaveLength(2);
    const stored = storedScores();
    for (const image of report.images) {
      expect(image.scores[0].findingProbability, `${image.image}: p(finding) as the batch scored it`).toBe(stored[image.image].findingProbability);
      expect(image.scores[0].maskDice, `${image.image}: mask Dice as the batch scored it`).toBe(stored[image.image].maskDice);
      expect(Math.abs(image.scores[1].maskDice! - image.scores[0].maskDice!), 'int8 segmenter near fp32').toBeLessThan(0.02);
    }
    expect(report.perPrompt[0].map((r) => r.group)).toEqual(['chest x-ray, tuberculosis, adult', 'all']);
    expect(report.comparison.images).toBe(2);
    expect(report.comparison.rows[0].agreement).toBeNull();
    expect(report.comparison.rows[1].agreement).not.toBeNull();
    const [fp32, int8] = report.comparison.rows.map((r) => r.adherence.maskAdherence!);
    console.log(`mask adherence of 2 batch images: fp32 ${fp32.toFixed(4)}, int8 ${int8.toFixed(4)}; agreement ${report.comparison.rows[1].agreement}`);
  }, 120_000);

  it('reads the Curate page\'s zip as it reads the folder, and prints both judges', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const dir of ['images', 'masks', 'provenance']) {
      for (const file of readdirSync(join(out, dir))) files[`${dir}/${file}`] = readFileSync(join(out, dir, file));
    }
    const zip = join(work, 'kept.zip');
    writeFileSync(zip, zipSync(files));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const progress = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await run(['--synthetic', zip, '--model-dir', BUNDLE, '--compare-variant', 'int8', '--threads', '1'])).toBe(0);
      const lines = log.mock.calls.map((c) => String(c[0]));
      const kept = Object.keys(files).filter((f) => f.startsWith('provenance/')).length;
      expect(lines[0]).toBe(`${zip}: ${kept} generated image(s)`);
      expect(lines).toContain('judge 1: cxr-studio-v1 (classifier and segmenter)');
      expect(lines).toContain('judge 2: cxr-studio-v1 int8 (classifier and segmenter)');
      expect(lines.find((l) => l.startsWith('  judge 2:'))).toMatch(/same verdict as judge 1: \d+%$/);
    } finally {
      log.mockRestore();
      progress.mockRestore();
    }
  }, 120_000);

  it('refuses a folder that is not a generated set, and a variant it does not know', async () => {
    mkdirSync(join(work, 'plain'), { recursive: true });
    writeFileSync(join(work, 'plain', 'x.png'), readFileSync(join(BUNDLE, 'examples/lung_mean_shenzhen.png')));
    await expect(judgeImages({ synthetic: join(work, 'plain'), judges: [{ modelDir: BUNDLE, variant: 'fp32' }], thresholds })).rejects.toThrow('no provenance/*.json: not a Curate export or a batch output folder');
    await expect(run(['--synthetic', out, '--variant', 'fp8'])).rejects.toThrow('--variant: expected one of');
  });
});
