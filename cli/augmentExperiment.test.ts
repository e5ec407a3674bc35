import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/core/manifest/types.ts';
import { readSamples } from './augmentExperiment.ts';

const work = mkdtempSync(join(tmpdir(), 'cxr-augment-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const manifest = { classes: ['normal', 'pneumonia', 'tuberculosis', 'covid19'] } as Manifest;

describe('augment-experiment: readSamples', () => {
  it('takes the rows of a split from labels.csv (file column, as ../shared/data)', () => {
    const dir = join(work, 'real');
    mkdirSync(dir);
    writeFileSync(join(dir, 'labels.csv'), 'file,label,split\nimages/a.png,normal,train\nimages/b.png,pneumonia,test\nimages/c.png,,train\nimages/d.png,pneumonia,train\n');
    expect(readSamples(dir, 'train', manifest)).toEqual([{ path: join(dir, 'images/a.png'), label: 'normal' }, { path: join(dir, 'images/d.png'), label: 'pneumonia' }]);
    expect(readSamples(dir, 'test', manifest)).toEqual([{ path: join(dir, 'images/b.png'), label: 'pneumonia' }]);
  });
  it('takes every row of the Curate zip layout (image column, no split)', () => {
    const dir = join(work, 'zip');
    mkdirSync(dir);
    writeFileSync(join(dir, 'labels.csv'), 'image,mask,label\nimages/s1.png,,tuberculosis\nimages/s2.png,masks/s2.png,normal\n');
    expect(readSamples(dir, undefined, manifest).map((s) => s.label)).toEqual(['tuberculosis', 'normal']);
  });
  it('labels generate output by the prompt, skipping prompts with no finding and missing images', () => {
    const dir = join(work, 'generated');
    mkdirSync(dir);
    const write = (stem: string, prompt: string, png = true) => {
      writeFileSync(join(dir, `${stem}.json`), JSON.stringify({ prompt }));
      if (png) writeFileSync(join(dir, `${stem}.png`), '');
    };
    write('a-seed1', 'chest x-ray, covid-19 pneumonia, adult');
    write('a-seed2', 'chest x-ray, adult');
    write('a-seed3', 'chest x-ray, pneumonia, pediatric', false);
    write('a-seed4', 'chest x-ray, no finding, adult');
    expect(readSamples(dir, undefined, manifest)).toEqual([{ path: join(dir, 'a-seed1.png'), label: 'covid19' }, { path: join(dir, 'a-seed4.png'), label: 'normal' }]);
  });
  it('names the columns it needs', () => {
    const dir = join(work, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'labels.csv'), 'path,class\nx.png,normal\n');
    expect(() => readSamples(dir, undefined, manifest)).toThrow('needs columns "file" (or "image") and "label", has [path, class]');
  });
});
