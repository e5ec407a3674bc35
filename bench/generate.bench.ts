/**
 * Seconds per 256 px image (20 DDIM steps, guidance 3: one batch-2 UNet run per step,
 * plus the text encoder and VAE decoder) through the shared generate pipeline, on
 * onnxruntime-node with several session settings, onnxruntime-web WASM in Node (the
 * app's own runtime module) and Chromium driving the built app (WASM worker). Each
 * engine runs in its own process so its peak memory (max RSS; for Chromium, the sum
 * over the browser's process tree) is its own. Appends/replaces its BENCHMARKS.md section.
 *
 *   npx vite build && npx tsx bench/generate.bench.ts [--images 2] [--model-dir public/models/<id>]
 *
 * The Chromium rows use the app's active bundle (the first in public/models/index.json):
 * the fixed settings above, then each of the Generate page's presets as a user clicks it
 * (the manifest's diffusion.presets, or fast + defaults); a preset's row is the number its
 * `seconds_wasm` records.
 */
import { execFileSync, execSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createNodeRunner, type NodeSessionOptions } from '../cli/nodeRunner.ts';
import { defaultBundleDir, readBundle } from '../cli/bundle.ts';
import { samplingPresets } from '../src/core/generation/request.ts';
import { generateImage, type GenerateRequest, type GenerateRunners } from '../src/core/pipelines/generate.ts';
import type { Runner } from '../src/core/runner.ts';
import { PromptTokenizer } from '../src/core/text/tokenizer.ts';
import { createWebRunner } from '../workers/runtime/session.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { images: { type: 'string', default: '2' }, engine: { type: 'string' }, 'model-dir': { type: 'string' } } });
const imageCount = Number(values.images);
const bundleDir = values['model-dir'] ? resolve(values['model-dir']) : defaultBundleDir();
const manifest = readBundle(bundleDir);
const request: Omit<GenerateRequest, 'seed'> = { prompt: 'chest x-ray, pneumonia, adult', steps: 20, guidance: 3, scheduler: 'ddim' };
const modelPath = (role: 'text_encoder' | 'unet' | 'vae_decoder') => join(bundleDir, manifest.models[role]!.variants.fp32.file);

interface Result { engine: string; secondsPerImage: number[]; unetMs: number; peakMb: number }

/** Wraps a runner to time its calls (to split UNet time from the rest). */
function timed(runner: Runner, sink: number[]): Runner {
  return { run: async (feeds) => { const t = performance.now(); const out = await runner.run(feeds); sink.push(performance.now() - t); return out; } };
}

async function measureInProcess(engine: string, open: (path: string) => Promise<Runner>): Promise<Result> {
  const tokenizerSpec = manifest.tokenizer!;
  const tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(bundleDir, tokenizerSpec.file), 'utf8')), tokenizerSpec);
  const unetMs: number[] = [];
  const runners: GenerateRunners = {
    textEncoder: await open(modelPath('text_encoder')),
    unet: timed(await open(modelPath('unet')), unetMs),
    vaeDecoder: await open(modelPath('vae_decoder')),
  };
  await generateImage(manifest, tokenizer, runners, { ...request, steps: 2, seed: 0 });
  unetMs.length = 0;
  const secondsPerImage: number[] = [];
  for (let i = 0; i < imageCount; i++) {
    const result = await generateImage(manifest, tokenizer, runners, { ...request, seed: i + 1 });
    secondsPerImage.push(result.elapsedMs / 1000);
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  return { engine, secondsPerImage, unetMs: unetMs.reduce((a, b) => a + b, 0) / unetMs.length, peakMb };
}

/** One denoising step's UNet work as one batch-2 run vs two batch-1 runs (what batching CFG buys). */
async function cfgBatching(): Promise<{ batch2Ms: number; twoBatch1Ms: number }> {
  const unet = await createNodeRunner(modelPath('unet'), { intraOpNumThreads: 2 });
  const feeds = (batch: number) => ({
    sample: { type: 'float32' as const, dims: [batch, 4, 32, 32], data: new Float32Array(batch * 4096).fill(0.1) },
    timestep: { type: 'float32' as const, dims: [batch], data: new Float32Array(batch).fill(500) },
    encoder_hidden_states: { type: 'float32' as const, dims: [batch, 32, 256], data: new Float32Array(batch * 8192).fill(0.01) },
    mask_cond: { type: 'float32' as const, dims: [batch, manifest.diffusion!.mask_channels.length, 32, 32], data: new Float32Array(batch * manifest.diffusion!.mask_channels.length * 1024) },
  });
  const time = async (fn: () => Promise<unknown>, n = 10) => {
    await fn();
    const t = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return (performance.now() - t) / n;
  };
  const batch2Ms = await time(() => unet.run(feeds(2)));
  const twoBatch1Ms = await time(async () => { await unet.run(feeds(1)); await unet.run(feeds(1)); });
  await unet.release();
  return { batch2Ms, twoBatch1Ms };
}

const NODE_CONFIGS: Record<string, NodeSessionOptions & { label: string }> = {
  'node-all-2t': { label: 'onnxruntime-node CPU, optimization all, 2 threads', graphOptimizationLevel: 'all', intraOpNumThreads: 2 },
  'node-all-1t': { label: 'onnxruntime-node CPU, optimization all, 1 thread', graphOptimizationLevel: 'all', intraOpNumThreads: 1 },
  'node-basic-2t': { label: 'onnxruntime-node CPU, optimization basic, 2 threads', graphOptimizationLevel: 'basic', intraOpNumThreads: 2 },
  'node-disabled-2t': { label: 'onnxruntime-node CPU, optimization disabled, 2 threads', graphOptimizationLevel: 'disabled', intraOpNumThreads: 2 },
};

async function runEngine(engine: string): Promise<Result> {
  const config = NODE_CONFIGS[engine];
  if (config) return measureInProcess(config.label, (path) => createNodeRunner(path, config));
  if (engine === 'node-wasm') {
    // As in bench/analysis.bench.ts: hand ORT its .wasm (Node cannot fetch the file: URL);
    // its pthread helpers cannot start in Node, so this is 1 thread.
    const ortWasm = await import('onnxruntime-web/wasm');
    ortWasm.env.wasm.wasmBinary = readFileSync(join(root, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'));
    const backend = { ep: 'wasm' as const, threads: 1, crossOriginIsolated: false };
    return measureInProcess('onnxruntime-web/wasm in Node (1 thread)', (path) => createWebRunner(readFileSync(path), backend, path));
  }
  throw new Error(`unknown engine ${engine}`);
}

if (values.engine === 'cfg') {
  console.log(JSON.stringify(await cfgBatching()));
  process.exit(0);
}

function treeRssMb(pid: number): number {
  const ps = execSync('ps -eo pid=,ppid=,rss=').toString().trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const children = new Map<number, number[]>();
  for (const [p, pp] of ps) children.set(pp, [...(children.get(pp) ?? []), p]);
  const rss = new Map(ps.map(([p, , r]) => [p, r]));
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total / 1024;
}

async function chromiumResult(): Promise<Result[] | undefined> {
  if (!existsSync(join(root, 'dist/index.html'))) {
    console.log('bench: dist/ is missing (run npx vite build); skipping Chromium.');
    return undefined;
  }
  const port = 4176;
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
  try {
    for (let i = 0; i < 60; i++) {
      if (await fetch(`http://localhost:${port}/`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    // Chromium is a child of this process; so is the preview server, which is not counted.
    let peakMb = 0;
    const sampler = setInterval(() => {
      peakMb = Math.max(peakMb, treeRssMb(process.pid) - treeRssMb(server.pid!) - process.memoryUsage().rss / 2 ** 20);
    }, 250);
    try {
      const page = await browser.newPage();
      await page.addInitScript(() => localStorage.setItem('cxr-studio-settings', JSON.stringify({ state: { backend: 'wasm', variant: 'fp32' }, version: 1 })));
      await page.goto(`http://localhost:${port}/#/generate`);
      await page.getByTestId('generator-state').filter({ hasText: 'Generator ready' }).waitFor({ timeout: 240_000 });
      await page.getByLabel('Prompt', { exact: true }).fill(request.prompt);
      await page.getByLabel('Steps', { exact: true }).fill('20');
      await page.getByLabel('Guidance', { exact: true }).fill('3');
      await page.getByLabel('Batch size', { exact: true }).fill(String(imageCount + 1));
      await page.getByRole('button', { name: 'Generate' }).click();
      await page.getByTestId('gallery-count').filter({ hasText: String(imageCount + 1) }).waitFor({ timeout: 600_000 });
      const provenance = await page.getByTestId('provenance').allTextContents();
      // Gallery shows newest first; the oldest (last) image was the warm-up.
      const seconds = provenance.slice(0, imageCount).map((p) => JSON.parse(p).elapsed_ms / 1000);
      const status = (await page.getByTestId('backend-status').textContent())?.replace('Backend: ', '');
      // Each preset of the page (manifest diffusion.presets, or fast + defaults), same prompt, as a user clicks it
      const presetResults: Result[] = [];
      for (const preset of samplingPresets(manifest)) {
        const total = imageCount + 1 + imageCount * (presetResults.length + 1); // warm-up batch, then imageCount per preset
        await page.getByTestId('fast-settings').getByRole('button', { name: new RegExp(`^${preset.label ?? preset.name}:`) }).click();
        await page.getByLabel('Batch size', { exact: true }).fill(String(imageCount));
        await page.getByRole('button', { name: 'Generate' }).click();
        await page.getByTestId('gallery-count').filter({ hasText: new RegExp(`^${total}$`) }).waitFor({ timeout: 600_000 });
        const presetSeconds = (await page.getByTestId('provenance').allTextContents()).slice(0, imageCount).map((p) => JSON.parse(p).elapsed_ms / 1000);
        const how = `${preset.scheduler}, ${preset.steps} steps, guidance ${preset.guidance}, ${preset.unet === 'unet_guided' ? 'one pass (unet_guided)' : 'two passes'}`;
        presetResults.push({ engine: `Chromium worker, the page's preset "${preset.name}" (${how}; not the same settings as the rows above)`, secondsPerImage: presetSeconds, unetMs: NaN, peakMb });
      }
      return [{ engine: `Chromium worker, onnxruntime-web/wasm (${status})`, secondsPerImage: seconds, unetMs: NaN, peakMb }, ...presetResults];
    } finally {
      clearInterval(sampler);
      await browser.close();
    }
  } finally {
    process.kill(-server.pid!, 'SIGTERM');
  }
}

if (values.engine) {
  // Child mode: one engine, result as JSON on the last line.
  console.log(JSON.stringify(await runEngine(values.engine)));
  process.exit(0);
}

const results: Result[] = [];
for (const engine of [...Object.keys(NODE_CONFIGS), 'node-wasm']) {
  const out = execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), import.meta.filename, '--engine', engine, '--images', String(imageCount), '--model-dir', bundleDir], { cwd: root }).toString().trim().split('\n');
  const result: Result = JSON.parse(out[out.length - 1]);
  console.log(`${result.engine}: ${result.secondsPerImage.map((s) => s.toFixed(2)).join(', ')} s/image, UNet ${result.unetMs.toFixed(0)} ms/step, peak ${result.peakMb.toFixed(0)} MB`);
  results.push(result);
}
const cfgOut = execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), import.meta.filename, '--engine', 'cfg', '--model-dir', bundleDir], { cwd: root }).toString().trim().split('\n');
const cfg: { batch2Ms: number; twoBatch1Ms: number } = JSON.parse(cfgOut[cfgOut.length - 1]);
console.log(`CFG batching (onnxruntime-node, 2 threads): batch 2 ${cfg.batch2Ms.toFixed(0)} ms vs 2 x batch 1 ${cfg.twoBatch1Ms.toFixed(0)} ms per step`);
const browserResult = bundleDir === defaultBundleDir() ? await chromiumResult() : undefined;
if (!browserResult) console.log('bench: Chromium row skipped: the app generates with the default bundle, not this one.');
for (const r of browserResult ?? []) {
  console.log(`${r.engine}: ${r.secondsPerImage.map((s) => s.toFixed(2)).join(', ')} s/image, peak ${r.peakMb.toFixed(0)} MB`);
  results.push(r);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const native = mean(results[0].secondsPerImage);
const date = execSync('date').toString().trim();
const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' / ');
const cpu = /Model name:\s*(.*)/.exec(execSync('lscpu').toString())?.[1]?.trim() ?? 'unknown CPU';
const table = [
  '| engine | s / image | × native (first row) | UNet ms / step (batch 2) | peak memory MB |',
  '|---|---|---|---|---|',
  ...results.map((r) => `| ${r.engine} | ${mean(r.secondsPerImage).toFixed(2)} | ${(mean(r.secondsPerImage) / native).toFixed(2)} | ${Number.isNaN(r.unetMs) ? 'n/a' : r.unetMs.toFixed(0)} | ${r.peakMb.toFixed(0)} |`),
].join('\n');
const section = `## Generation (text + mask -> 256 px image), bundle ${manifest.id}

Measured ${date} on a 2-core development machine (${cpu}, shared with other work:
numbers are noisy; load average ${load} when it finished, so with other jobs running a
second ORT thread often loses more to contention than it gains). Bundle \`${manifest.id}\`, fp32, 20 DDIM steps, guidance 3 (conditional and
unconditional in one batch-2 UNet run per step), mean of ${imageCount} image(s) after a warm-up;
the time covers the whole pipeline (src/core/pipelines/generate.ts). Peak memory: max RSS of
the engine's own process; for Chromium, the largest sum of RSS over the browser's process
tree while it ran. Made by \`npx vite build && npx tsx bench/generate.bench.ts\`.

${table}

What the settings bought (onnxruntime-node rows above, same run): compare "optimization all"
with "basic" / "disabled", and 2 threads with 1. Batching the conditional and unconditional
UNet passes into one batch-2 run: ${cfg.batch2Ms.toFixed(0)} ms per step vs ${cfg.twoBatch1Ms.toFixed(0)} ms for two batch-1 runs
(onnxruntime-node, 2 threads, 10 steps each).
`;
const path = join(root, 'BENCHMARKS.md');
const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
const marker = new RegExp(`## Generation \\(text \\+ mask -> 256 px image\\), bundle ${manifest.id}\\n[\\s\\S]*?(?=\\n## |$)`);
writeFileSync(path, marker.test(existing) ? existing.replace(marker, section.trimEnd() + '\n') : `${existing.trimEnd()}\n\n${section}`);
console.log(`bench: wrote ${path}`);
process.exit(0);
