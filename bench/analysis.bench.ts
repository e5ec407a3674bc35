/**
 * Segmenter and classifier throughput (images/s, batch 1) on the same files
 * through the same analyze pipeline, on three engines: onnxruntime-node (CPU),
 * onnxruntime-web WASM in Node (workers/runtime, the app's own module), and
 * Chromium driving the built app (WASM). Writes BENCHMARKS.md.
 *
 *   npx vite build && npx tsx bench/analysis.bench.ts [--images 12]
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage, type LoadedImage } from '../src/core/image/decode.ts';
import { analyzeImage, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import type { Runner } from '../src/core/runner.ts';
import { createNodeRunner } from '../cli/nodeRunner.ts';
import { defaultBundleDir, readBundle } from '../cli/bundle.ts';
import { createWebRunner } from '../workers/runtime/session.ts';
import { cxr256 } from '../cli/testing/shared.ts';
import { launchChromium, startPreview } from './preview.ts';

const root = resolve(import.meta.dirname, '..');
const data = cxr256('shenzhen_tb_lungseg/images');
const { values } = parseArgs({ options: { images: { type: 'string', default: '12' }, warmup: { type: 'string', default: '2' } } });
const count = Number(values.images);
const warmup = Number(values.warmup);
const threads = 2;

if (!existsSync(data)) {
  console.log(`bench: ${data} is absent; nothing to measure.`);
  process.exit(0);
}
const files = readdirSync(data).filter((f) => f.endsWith('.png')).sort().slice(0, count).map((f) => join(data, f));
const bundleDir = defaultBundleDir();
const manifest = readBundle(bundleDir);
const seg = manifest.models.segmenter!;
const cls = manifest.models.classifier!;
const segPath = join(bundleDir, seg.variants.fp32.file);
const clsPath = join(bundleDir, cls.variants.fp32.file);

interface Row { engine: string; segMs: number[]; clsMs: number[] }

async function measure(engine: string, segRunner: Runner, clsRunner: Runner, images: LoadedImage[]): Promise<Row> {
  const models: AnalyzeModels = { segmenter: { spec: seg, runner: segRunner }, classifier: { spec: cls, runner: clsRunner, classes: manifest.classes ?? [] } };
  for (let i = 0; i < warmup; i++) await analyzeImage(images[i % images.length], models);
  const row: Row = { engine, segMs: [], clsMs: [] };
  for (const image of images) {
    const result = await analyzeImage(image, models);
    row.segMs.push(result.segmentation!.ms);
    row.clsMs.push(result.classification!.ms);
  }
  console.log(`${engine}: segmenter ${mean(row.segMs).toFixed(1)} ms, classifier ${mean(row.clsMs).toFixed(1)} ms`);
  return row;
}

async function chromiumRow(): Promise<Row | undefined> {
  if (!existsSync(join(root, 'dist/index.html'))) {
    console.log('bench: dist/ is missing (run npx vite build); skipping Chromium.');
    return undefined;
  }
  const preview = await startPreview(4175);
  try {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.addInitScript(() => localStorage.setItem('cxr-studio-settings', JSON.stringify({ state: { backend: 'wasm', variant: 'fp32' }, version: 1 })));
      await page.goto(`${preview.origin}/#/analyze`);
      await page.getByTestId('models-state').filter({ hasText: 'Models ready' }).waitFor({ timeout: 180_000 });
      const row: Row = { engine: 'Chromium worker, onnxruntime-web/wasm', segMs: [], clsMs: [] };
      const sequence = [...files.slice(0, warmup), ...files];
      for (const [i, file] of sequence.entries()) {
        await page.getByLabel('Open X-ray').setInputFiles(file);
        const name = file.split('/').pop();
        const handle = await page.waitForFunction((n) => {
          const s = (window as unknown as { cxrStudio: { analysis: () => { fileName?: string; result?: { segmentation?: { ms: number }; classification?: { ms: number } } } } }).cxrStudio.analysis();
          return s.fileName === n && s.result?.classification ? [s.result.segmentation!.ms, s.result.classification.ms] : false;
        }, name, { timeout: 60_000 });
        const [segMs, clsMs] = (await handle.jsonValue()) as [number, number];
        if (i >= warmup) {
          row.segMs.push(segMs);
          row.clsMs.push(clsMs);
        }
      }
      const threadsText = await page.getByTestId('backend-status').textContent();
      row.engine += ` (${threadsText?.replace('Backend: ', '')})`;
      console.log(`${row.engine}: segmenter ${mean(row.segMs).toFixed(1)} ms, classifier ${mean(row.clsMs).toFixed(1)} ms`);
      return row;
    } finally {
      await browser.close();
    }
  } finally {
    preview.stop();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ips = (xs: number[]) => (1000 / mean(xs)).toFixed(2);

const images = await Promise.all(files.map(async (f) => decodeImage(readFileSync(f))));
const rows: Row[] = [];
rows.push(await measure(`onnxruntime-node CPU (${threads} threads)`, await createNodeRunner(segPath, { intraOpNumThreads: threads }), await createNodeRunner(clsPath, { intraOpNumThreads: threads }), images));
// Node's fetch cannot read the file: URL ORT would fetch its .wasm from: hand it
// the binary (same module instance workers/runtime imports). ORT's pthread
// helpers still fetch their script that way in Node, so Node-WASM runs 1 thread.
const ortWasm = await import('onnxruntime-web/wasm');
ortWasm.env.wasm.wasmBinary = readFileSync(join(root, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'));
const wasmBackend = { ep: 'wasm' as const, threads: 1, crossOriginIsolated: false };
rows.push(await measure('onnxruntime-web/wasm in Node (1 thread)', await createWebRunner(readFileSync(segPath), wasmBackend, 'segmenter'), await createWebRunner(readFileSync(clsPath), wasmBackend, 'classifier'), images));
const browserRow = await chromiumRow();
if (browserRow) rows.push(browserRow);

const native = rows[0];
const date = execSync('date').toString().trim();
const cpu = /Model name:\s*(.*)/.exec(execSync('lscpu').toString())?.[1]?.trim() ?? 'unknown CPU';
const table = [
  '| engine | segmenter images/s | segmenter ms | × native | classifier images/s | classifier ms | × native |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.engine} | ${ips(r.segMs)} | ${mean(r.segMs).toFixed(1)} | ${(mean(r.segMs) / mean(native.segMs)).toFixed(2)} | ${ips(r.clsMs)} | ${mean(r.clsMs).toFixed(1)} | ${(mean(r.clsMs) / mean(native.clsMs)).toFixed(2)} |`),
].join('\n');

const section = `## Analysis models (segmenter, classifier)

Measured ${date} on a 2-core development machine (${cpu}, shared with other work:
numbers are noisy). Bundle \`${manifest.id}\`, fp32, batch 1, ${files.length} Shenzhen images
(256x256) after ${warmup} warm-up runs; each time covers preprocessing, \`session.run\` and
postprocessing in the shared analyze pipeline (src/core/pipelines/analyze.ts). Made by
\`npx vite build && npx tsx bench/analysis.bench.ts\`.

${table}

Goal for later work: WASM within 1.5x of native.
`;
const path = join(root, 'BENCHMARKS.md');
const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
const marker = /## Analysis models \(segmenter, classifier\)[\s\S]*?(?=\n## |$)/;
writeFileSync(path, marker.test(existing) ? existing.replace(marker, section.trimEnd() + '\n') : `${existing.trimEnd()}\n\n${section}`);
console.log(`bench: wrote ${path}`);
process.exit(0);
