/**
 * Evaluation throughput: images/s for segmenter+Dice (Shenzhen images with masks),
 * classifier+F1 (Kermany test split) and both models on every image (the
 * images with lung masks of Shenzhen, ieee8023 and JSRT), on the same N files, through
 * `cxr-studio evaluate` (onnxruntime-node) and the built Evaluate page in Chromium
 * (onnxruntime-web WASM worker). Peak memory: max RSS of this process for the CLI
 * (it runs first), the largest sum of RSS over Chromium's process tree for the page.
 * Appends/replaces its section in BENCHMARKS.md.
 *
 * Images go through the models EVALUATION_BATCH at a time (src/core/evaluation/request.ts);
 * the CLI rows for `both` also run one image per session.run (--batch 1) to show what batching gives.
 *
 *   npx vite build --outDir dist-eval && npx tsx bench/evaluate.bench.ts [--images 100] [--tasks segmentation,classification,both] [--dist dist-eval]
 */
import { execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { evaluateFiles, type EvaluateOptions } from '../cli/evaluate.ts';
import { parseCsv } from '../src/core/data/csvTable.ts';
import { EVALUATION_BATCH } from '../src/core/evaluation/request.ts';
import { cxr256 } from '../cli/testing/shared.ts';
import { launchChromium, startPreview } from './preview.ts';

const root = resolve(import.meta.dirname, '..');
const cxr = cxr256();
const { values } = parseArgs({ options: { images: { type: 'string', default: '100' }, tasks: { type: 'string', default: 'segmentation,classification,both' }, dist: { type: 'string', default: 'dist-eval' }, port: { type: 'string', default: '4183' } } });
type Task = 'segmentation' | 'classification' | 'both';
const tasks = values.tasks!.split(',') as Task[];
const count = Number(values.images);
// Rates leave model loading and the first batch out, so a run of one or two batches measures nothing.
if (!(count >= 3 * EVALUATION_BATCH)) {
  console.error(`bench: --images ${values.images}: give at least ${3 * EVALUATION_BATCH} (three batches of ${EVALUATION_BATCH}); the rate leaves the first batch out.`);
  process.exit(2);
}
if (!existsSync(cxr)) {
  console.log(`bench: ${cxr} is absent; nothing to measure.`);
  process.exit(0);
}

/** The first `count` rows over `sets` (test split, or any split with a mask where asked), copied to a temp folder both engines read. */
function stage(sets: string[], needMask: boolean): { dir: string; n: number } {
  const rows = sets.flatMap((set) => parseCsv(readFileSync(join(cxr, set, 'labels.csv'))).rows.filter((r) => (needMask ? r.mask : r.split === 'test')).map((r) => ({ file: r.file, mask: r.mask, label: r.label, set }))).slice(0, count);
  const dir = mkdtempSync(join(tmpdir(), `bench-eval-${sets[0]}-`));
  mkdirSync(join(dir, 'images'));
  mkdirSync(join(dir, 'masks'));
  for (const r of rows) {
    copyFileSync(join(cxr, r.set, r.file), join(dir, r.file));
    if (needMask) copyFileSync(join(cxr, r.set, r.mask), join(dir, r.mask));
  }
  writeFileSync(join(dir, 'labels.csv'), `file,label\n${rows.map((r) => `${r.file},${r.label}`).join('\n')}\n`);
  return { dir, n: rows.length };
}

interface Row { engine: string; task: Task; n: number; seconds: number; peakMb: number; tabPeakMb?: number; heapMb?: number | null }

async function cliRow(task: Task, dir: string, batch?: number): Promise<Row> {
  const stamps: number[] = [];
  const opts: EvaluateOptions = { images: join(dir, 'images'), labels: join(dir, 'labels.csv'), threads: 2, batch, onCase: () => stamps.push(performance.now()), settings: { bootstrap: { iterations: 1000, seed: 0, level: 0.95 } } };
  if (task !== 'both') opts.task = task;
  if (task !== 'classification') Object.assign(opts, { masks: join(dir, 'masks'), channel: 'lung_shenzhen' });
  await evaluateFiles(opts);
  // first reported image to last: model loading and the first (warm-up) batch left out
  const first = stamps.findIndex((t) => t > stamps[0]);
  return { engine: `CLI, onnxruntime-node CPU (2 threads${batch === 1 ? ', one image per run' : ''})`, task, n: stamps.length - first, seconds: (stamps.at(-1)! - stamps[first - 1]) / 1000, peakMb: process.resourceUsage().maxRSS / 1024 };
}

/** RSS (MB) of `pid` and its descendants: the sum, and the largest Chromium renderer among them. */
function treeRss(pid: number): { totalMb: number; rendererMb: number } {
  const ps = execSync('ps -eo pid=,ppid=,rss=,args=').toString().trim().split('\n').map((l) => {
    const [p, pp, r, ...args] = l.trim().split(/\s+/);
    return { pid: Number(p), ppid: Number(pp), rss: Number(r), renderer: args.includes('--type=renderer') };
  });
  const children = new Map<number, number[]>();
  for (const { pid: p, ppid } of ps) children.set(ppid, [...(children.get(ppid) ?? []), p]);
  const byPid = new Map(ps.map((e) => [e.pid, e]));
  let total = 0;
  let renderer = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    const e = byPid.get(p);
    total += e?.rss ?? 0;
    if (e?.renderer) renderer = Math.max(renderer, e.rss);
    stack.push(...(children.get(p) ?? []));
  }
  return { totalMb: total / 1024, rendererMb: renderer / 1024 };
}

async function pageRow(page: Page, task: Task, dir: string, n: number): Promise<Omit<Row, 'peakMb'>> {
  await page.goto(`${preview.origin}/#/evaluate`);
  await page.reload();
  await page.getByTestId('images-folder').setInputFiles(join(dir, 'images'));
  await page.getByTestId('labels-file').setInputFiles(join(dir, 'labels.csv'));
  if (task !== 'classification') {
    if (task === 'segmentation') await page.getByTestId('column-label').selectOption('');
    await page.getByTestId('masks-folder').setInputFiles(join(dir, 'masks'));
    await page.getByTestId('channel').selectOption({ label: 'lung_shenzhen' });
  }
  await page.getByTestId('run-evaluation').click();
  // from the first reported batch to the end of the run (summary included): model loading and the first batch left out
  const progress = page.getByTestId('eval-progress');
  await progress.filter({ hasNotText: / 0 of / }).waitFor({ timeout: 300_000 });
  const started = performance.now();
  const first = Number(/ (\d+) of /.exec((await progress.textContent()) ?? '')?.[1] ?? 1);
  await page.getByTestId('eval-status').filter({ hasText: 'done' }).waitFor({ timeout: 3_600_000 });
  const seconds = (performance.now() - started) / 1000;
  return { engine: 'Evaluate page, Chromium worker, onnxruntime-web/wasm', task, n: n - first, seconds };
}

const staged: Record<Task, () => { dir: string; n: number }> = {
  segmentation: () => stage(['shenzhen_tb_lungseg'], true),
  classification: () => stage(['kermany_pediatric_pneumonia'], false),
  both: () => stage(['shenzhen_tb_lungseg', 'ieee8023_covid_lungseg', 'jsrt_lungseg'], true),
};
const sets = tasks.map((task) => [task, staged[task]()] as const);
const rows: Row[] = [];
for (const [task, set] of sets) {
  rows.push(await cliRow(task, set.dir));
  if (task === 'both') rows.push(await cliRow(task, set.dir, 1));
}
for (const r of rows) console.log(`${r.engine} ${r.task}: ${(r.n / r.seconds).toFixed(2)} images/s`);

const preview = await startPreview(Number(values.port), values.dist!);
try {
  const browser = await launchChromium();
  let peakMb = 0;
  let tabPeakMb = 0;
  const sampler = setInterval(() => {
    const tree = treeRss(process.pid);
    peakMb = Math.max(peakMb, tree.totalMb - treeRss(preview.server.pid!).totalMb - process.memoryUsage().rss / 2 ** 20);
    tabPeakMb = Math.max(tabPeakMb, tree.rendererMb);
  }, 500);
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => localStorage.setItem('cxr-studio-settings', JSON.stringify({ state: { backend: 'wasm', variant: 'fp32' }, version: 1 })));
    for (const [task, set] of sets) {
      peakMb = 0;
      tabPeakMb = 0;
      const row = await pageRow(page, task, set.dir, set.n);
      // JS and WebAssembly heaps of the page and its workers, as Chrome counts them (needs cross-origin isolation).
      const heapMb = await page.evaluate(async () => {
        const measure = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }).measureUserAgentSpecificMemory;
        return measure ? (await measure.call(performance)).bytes / 2 ** 20 : null;
      }).catch(() => null);
      rows.push({ ...row, peakMb, tabPeakMb, heapMb });
      console.log(`${row.engine} ${task}: ${(row.n / row.seconds).toFixed(2)} images/s, peak ${peakMb.toFixed(0)} MB (tab renderer ${tabPeakMb.toFixed(0)} MB, heaps after the run ${heapMb?.toFixed(0) ?? 'n/a'} MB)`);
    }
  } finally {
    clearInterval(sampler);
    await browser.close();
  }
} finally {
  preview.stop();
  for (const [, set] of sets) rmSync(set.dir, { recursive: true, force: true });
}

const date = execSync('date').toString().trim();
const cpu = /Model name:\s*(.*)/.exec(execSync('lscpu').toString())?.[1]?.trim() ?? 'unknown CPU';
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' / ');
const table = [
  '| engine | task | images | images/s | × CLI | minutes per 1,000 | peak memory MB | tab (renderer) peak MB | JS+WASM heaps after run MB |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const cli = rows.find((c) => c.task === r.task)!;
    const what = { segmentation: 'segmenter + Dice', classification: 'classifier + F1', both: 'segmenter + classifier, every image' }[r.task];
    return `| ${r.engine} | ${what} | ${r.n} | ${(r.n / r.seconds).toFixed(2)} | ${(cli.n / cli.seconds / (r.n / r.seconds)).toFixed(2)} | ${(r.seconds / r.n * 1000 / 60).toFixed(1)} | ${r.peakMb.toFixed(0)} | ${r.tabPeakMb?.toFixed(0) ?? 'n/a'} | ${r.heapMb?.toFixed(0) ?? 'n/a'} |`;
  }),
].join('\n');
const section = `## Evaluation (Evaluate page vs cli evaluate)

Measured ${date} on a 2-core development machine (${cpu}, shared with other work:
numbers are noisy; load average ${load} at the end). Bundle \`cxr-studio-v1\`, fp32. The same
files for both engines: up to ${count} Shenzhen images that have masks (segmenter, channel
\`lung_shenzhen\`, + Dice/IoU), up to ${count} Kermany test images (classifier + F1), and up to ${count}
images with lung masks from Shenzhen, ieee8023 and JSRT scored by both models (issue 18's target:
1,000 images in <= 2 minutes in Chromium). Images go through the models ${'`'}EVALUATION_BATCH${'`'} (8) per
session.run while the next batch is read and decoded (src/core/evaluation/run.ts); the second
"both" CLI row runs one image per run. Rate = images from the first reported batch to the end
(model loading and the first batch left out; the page's includes its summary). CLI peak
memory is this Node process's max RSS (so the classification row includes the segmentation
run before it); the page's is the largest sum of RSS over Chromium's whole process tree
(browser, GPU, network, renderer...). "Tab" is the largest RSS of one renderer process, which
holds the page and its workers (what Chrome's task manager counts for the tab), and the heaps
column is \`performance.measureUserAgentSpecificMemory()\` (JS and WebAssembly memory of the page
and its workers) right after the run. Made by
\`npx vite build --outDir dist-eval && npx tsx bench/evaluate.bench.ts --images ${count}\`.

${table}
`;
const path = join(root, 'BENCHMARKS.md');
const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
const marker = /## Evaluation \(Evaluate page vs cli evaluate\)[\s\S]*?(?=\n## |$)/;
writeFileSync(path, marker.test(existing) ? existing.replace(marker, section.trimEnd() + '\n') : `${existing.trimEnd()}\n\n${section}`);
console.log(`bench: wrote ${path}`);
process.exit(0);
