import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { parseCsv } from '../src/core/data/csvTable.ts';
import type { EvaluationSummary } from '../src/core/evaluation/summary.ts';
import { expect, openStudio, test } from './fixtures.ts';
import type { Corpus } from '../cli/testing/badInputCorpus.ts';

/**
 * The bad-input corpus (testdata/bad-inputs/cases.json) through the Evaluate
 * page: each run marked `page` is uploaded as a user would (the folder, the
 * labels CSV, the masks folder), scored in the real worker, and every case is
 * checked against the exported summary and per-image CSV: good files scored,
 * each bad one failed or reported with a message naming it and its cause.
 * Cases marked pending (waiting on another part of issue 20) are reported as
 * annotations while they still miss.
 */
const CORPUS = resolve(import.meta.dirname, '../testdata/bad-inputs');
/** Outside test-results/, which any other Playwright run on this tree empties when it starts. */
const COPY = join(tmpdir(), 'cxr-e2e-bad-inputs');
const corpus = JSON.parse(readFileSync(join(CORPUS, 'cases.json'), 'utf8')) as Corpus;
/** What a browser cannot be given: a file-system link to nothing. */
const NOT_FOR_THE_PAGE = new Set(['broken-symlink']);

/** A copy a browser can upload: links followed, links to nothing left out (a file picker never offers them). */
function uploadable(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    if (lstatSync(source).isSymbolicLink() && !existsSync(source)) continue;
    if (statSync(source).isDirectory()) uploadable(source, join(to, name));
    else copyFileSync(source, join(to, name));
  }
  return to;
}

async function download(page: Page, testId: string): Promise<string> {
  const file = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  return readFileSync(await (await file).path(), 'utf8');
}

const stemOf = (name: string) => basename(name, extname(name));

for (const run of corpus.runs.filter((r) => r.page)) {
  test(`bad-input corpus on the Evaluate page: ${run.id}`, async ({ page }) => {
    test.setTimeout(600_000);
    rmSync(join(COPY, run.id), { recursive: true, force: true });
    await openStudio(page, 'wasm', 'evaluate');
    await page.getByTestId('images-folder').setInputFiles(uploadable(join(CORPUS, run.page!.images), join(COPY, run.id, 'images')));
    if (run.page!.masks) await page.getByTestId('masks-folder').setInputFiles(uploadable(join(CORPUS, run.page!.masks), join(COPY, run.id, 'masks')));
    if (run.page!.labels) await page.getByTestId('labels-file').setInputFiles(join(CORPUS, run.page!.labels));
    await page.getByTestId('run-evaluation').click();
    await expect(page.getByTestId('eval-status')).toHaveText(/· done/, { timeout: 540_000 });
    const summary = JSON.parse(await download(page, 'export-json')) as EvaluationSummary;
    const rows = parseCsv(await download(page, 'export-csv')).rows;
    const failuresShown = (await page.getByTestId('eval-failures').textContent()) ?? '';

    const misses: string[] = [];
    for (const c of corpus.cases.filter((x) => x.run === run.id && !NOT_FOR_THE_PAGE.has(x.id))) {
      const name = c.name ?? basename(c.files[0]);
      const names = (file: string) => basename(file) === name || stemOf(file) === stemOf(name);
      const pattern = c.message ? new RegExp(c.message) : undefined;
      const row = rows.find((r) => r.image === name || basename(r.image) === name || r.stem === name || r.stem === stemOf(name));
      const failure = summary.failures.find((f) => names(f.file));
      const issue = summary.issues.filter((i) => names(i.file));
      let miss: string | undefined;
      if (c.expect === 'scored') {
        if (!row) miss = 'no row in the per-image CSV';
        else if (row.error) miss = `scored expected, error: ${row.error}`;
        else if (!Object.entries(row).some(([k, v]) => (k.startsWith('p_') || k === 'dice') && v !== '')) miss = 'no probabilities or Dice';
        else if (pattern && !pattern.test(JSON.stringify([row, issue]))) miss = `no note matching /${c.message}/`;
      } else if (c.expect === 'failed') {
        if (!failure) miss = `no failure for it; row error: ${row?.error ?? '(none)'}`;
        else if (pattern && !pattern.test(`${failure.code}: ${failure.detail}`)) miss = `failure "${failure.detail}" does not match /${c.message}/`;
        else if (!failuresShown.includes(basename(failure.file))) miss = 'failure not shown on the page';
      } else if (c.expect === 'issue') {
        if (!issue.some((i) => !pattern || pattern.test(`${i.kind}: ${i.file}: ${i.detail}`))) miss = `no input issue matching /${c.message}/: ${JSON.stringify(issue)}`;
      }
      if (!miss) continue;
      if (c.pending) {
        test.info().annotations.push({ type: 'pending', description: `${c.id}: ${miss} (${c.pending})` });
        console.log(`pending ${run.id} / ${c.id}: ${miss}`);
      }
      else misses.push(`${c.id} (${c.defect}): ${miss}`);
    }
    expect(misses).toEqual([]);
    expect(summary.dataset.evaluated).toBeGreaterThan(0);

    // Anonymised exports: no file name of the run left in them; the key maps every pseudonym back
    await page.getByTestId('export-anonymise').check();
    const anonymisedCsv = await download(page, 'export-csv');
    const anonymisedJson = await download(page, 'export-json');
    const key = parseCsv(await download(page, 'export-name-key')).rows;
    // file names never stay; bare stems that look like identifiers (digits, _, -) never stay either
    const token = (text: string) => new RegExp(`(?<![\\w.-])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);
    const files = rows.map((r) => basename(r.image));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      for (const text of [anonymisedCsv, anonymisedJson]) expect(text, file).not.toMatch(token(file));
      if (/[\d_-]/.test(stemOf(file))) for (const text of [anonymisedCsv, anonymisedJson]) expect(text, stemOf(file)).not.toMatch(token(stemOf(file)));
      // the key is a CSV too: a formula-like name in it is escaped with a leading '
      expect(key.some((k) => k.original.replace(/^'(?=[=+\-@\t\r])/, '') === stemOf(file)), file).toBe(true);
    }
    expect(parseCsv(anonymisedCsv).rows.every((r) => /^case-\d{4}$/.test(r.stem))).toBe(true);
  });
}
