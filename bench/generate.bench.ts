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
 * (the manifest's diffusion.presets, or fast + defaults), then each other setting of the
 * sampler sweep (training/runs/sampler_sweep/) typed into the form. Those settings are also
 * timed in onnxruntime-node (2 threads), and the presets table sets each beside its quality
 * from the sweep (both judges) and plots seconds against adherence
 * (training/evaluate/seconds_vs_quality.py). A preset's Chromium number is what its
 * `seconds_wasm` records: after a run, `python3 -m training.export.presets` (training/README.md,
 * issue 18 session 2, step 2) writes it into the manifest from docs/benchmarks/generate-presets.json.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createNodeRunner, type NodeSessionOptions } from '../cli/nodeRunner.ts';
import { defaultBundleDir, readBundle } from '../cli/bundle.ts';
import { matchesPreset, samplingPresets } from '../src/core/generation/request.ts';
import { generateImage, type GenerateRequest, type GenerateRunners } from '../src/core/pipelines/generate.ts';
import type { Runner } from '../src/core/runner.ts';
import type { SamplingPreset } from '../src/core/manifest/types.ts';
import type { SchedulerName } from '../src/core/schedulers/index.ts';
import { PromptTokenizer } from '../src/core/text/tokenizer.ts';
import { createWebRunner } from '../workers/runtime/session.ts';
import { launchChromium, startPreview } from './preview.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { images: { type: 'string', default: '2' }, engine: { type: 'string' }, 'model-dir': { type: 'string' } } });
const imageCount = Number(values.images);
const bundleDir = values['model-dir'] ? resolve(values['model-dir']) : defaultBundleDir();
const manifest = readBundle(bundleDir);
const request: Omit<GenerateRequest, 'seed'> = { prompt: 'chest x-ray, pneumonia, adult', steps: 20, guidance: 3, scheduler: 'ddim' };
const modelPath = (role: 'text_encoder' | 'unet' | 'unet_guided' | 'vae_decoder') => join(bundleDir, manifest.models[role]!.variants.fp32.file);

interface Result { engine: string; secondsPerImage: number[]; unetMs: number; peakMb: number; setting?: string }

/**
 * A sampling setting the bench times per engine: each of the page's presets, then each other
 * setting of the sampler sweep, then the one-pass cost probes.
 */
interface TimedSetting extends SamplingPreset { isPreset: boolean; probe?: boolean }

/**
 * What a guidance-distilled (one-pass) student would cost at its step count, measured before
 * one exists: guidance 1 runs the conditional pass alone, one batch-1 UNet run per step, the
 * same network work as a student's (its guidance embedding is one more small MLP). Their
 * images are unguided, so their quality says nothing about a student's and is not given.
 */
const ONE_PASS_PROBES: TimedSetting[] = [10, 5].map((steps) => ({ name: `one-pass-cost-${steps}`, label: `one-pass cost, ${steps} steps`, steps, guidance: 1, scheduler: 'ddim', isPreset: false, probe: true }));

const SWEEP_DIR = join(root, 'training/runs/sampler_sweep');

interface JudgeQuality { everyCell: number; textOnly: number; maskDice: number; fid?: number; fidFloor?: number }
interface Quality { project: JudgeQuality; reference: JudgeQuality }

/**
 * The sampler sweep's settings (training/evaluate/sampler_sweep.py: the shipped two-pass UNet)
 * with their pooled quality by both judges, read once: summary.json, and each setting's
 * guidance from its first sample's JSON.
 */
const sweep: Array<{ setting: TimedSetting; quality: Quality }> = (() => {
  if (!existsSync(join(SWEEP_DIR, 'summary.json'))) return [];
  type Judge = { every_cell: { adherence: number }; text_only_all: { adherence: number }; mask_dice_mean: number };
  type Fid = { fid: number; fid_real_train_vs_test: number };
  type Row = { scheduler: string; steps: number; one_pass?: boolean; pooled: { project: Judge; reference_v0: Judge }; fid?: { project: Fid; reference_v0: Fid } | null };
  const summary: Record<string, Row> = JSON.parse(readFileSync(join(SWEEP_DIR, 'summary.json'), 'utf8'));
  const judge = (j: Judge, f?: Fid): JudgeQuality => ({ everyCell: j.every_cell.adherence, textOnly: j.text_only_all.adherence, maskDice: j.mask_dice_mean, fid: f?.fid, fidFloor: f?.fid_real_train_vs_test });
  return Object.values(summary).flatMap(({ scheduler, steps, one_pass: onePass, pooled, fid }) => {
    const seedFile = join(SWEEP_DIR, `${scheduler}_${steps}${onePass ? '_onepass' : ''}_seed7.json`);
    if (!existsSync(seedFile)) return [];
    const guidance: number = JSON.parse(readFileSync(seedFile, 'utf8')).setting.guidance;
    const unet = onePass ? { unet: 'unet_guided' as const } : {};
    return [{ setting: { name: `${scheduler}-${steps}${onePass ? '-one-pass' : ''}`, label: `${scheduler} ${steps}${onePass ? ' one-pass' : ''}`, steps, guidance, scheduler, ...unet, isPreset: false }, quality: { project: judge(pooled.project, fid?.project), reference: judge(pooled.reference_v0, fid?.reference_v0) } }];
  });
})();

/** A setting's quality from the sweep when the sweep ran exactly it (the same UNet, scheduler, steps and guidance). */
function sweepQuality(setting: SamplingPreset): Quality | undefined {
  const unet = (s: SamplingPreset) => s.unet ?? 'unet';
  return sweep.find(({ setting: s }) => unet(s) === unet(setting) && s.scheduler === setting.scheduler && s.steps === setting.steps && s.guidance === setting.guidance)?.quality;
}

const timedSettings: TimedSetting[] = (() => {
  const presets = samplingPresets(manifest).map((p) => ({ ...p, isPreset: true }));
  // a one-pass sweep setting is timed only as a preset: the form's own settings run the two-pass UNet
  const others = sweep.map((x) => x.setting).filter((s) => !s.unet && !presets.some((p) => matchesPreset({ ...s, scheduler: s.scheduler as SchedulerName }, p)));
  return [...presets, ...others, ...ONE_PASS_PROBES];
})();

/** Wraps a runner to time its calls (to split UNet time from the rest). */
function timed(runner: Runner, sink: number[]): Runner {
  return { run: async (feeds) => { const t = performance.now(); const out = await runner.run(feeds); sink.push(performance.now() - t); return out; } };
}

/** The bundle's tokenizer and generator sessions, opened by `open` (the UNet wrapped by `wrapUnet`, e.g. to time it). */
async function openGenerator(open: (path: string) => Promise<Runner>, wrapUnet: (r: Runner) => Runner = (r) => r): Promise<{ tokenizer: PromptTokenizer; runners: GenerateRunners }> {
  const tokenizerSpec = manifest.tokenizer!;
  const tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(bundleDir, tokenizerSpec.file), 'utf8')), tokenizerSpec);
  const runners: GenerateRunners = {
    textEncoder: await open(modelPath('text_encoder')),
    unet: wrapUnet(await open(modelPath('unet'))),
    ...(manifest.models.unet_guided ? { unetGuided: await open(modelPath('unet_guided')) } : {}),
    vaeDecoder: await open(modelPath('vae_decoder')),
  };
  return { tokenizer, runners };
}

async function measureInProcess(engine: string, open: (path: string) => Promise<Runner>): Promise<Result> {
  const unetMs: number[] = [];
  const { tokenizer, runners } = await openGenerator(open, (r) => timed(r, unetMs));
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

/**
 * Each timed setting (the page's presets, then the sweep's other settings) in one
 * onnxruntime-node process (2 threads, optimization all), imageCount images each after a
 * warm-up: the native column of the presets table.
 */
async function nodeSettings(): Promise<Result[]> {
  const config = NODE_CONFIGS['node-all-2t'];
  const { tokenizer, runners } = await openGenerator((path) => createNodeRunner(path, config));
  const results: Result[] = [];
  for (const setting of timedSettings) {
    const settings = { prompt: request.prompt, steps: setting.steps, guidance: setting.guidance, scheduler: setting.scheduler as SchedulerName, unet: setting.unet };
    await generateImage(manifest, tokenizer, runners, { ...settings, steps: Math.min(2, setting.steps), seed: 0 });
    const secondsPerImage: number[] = [];
    for (let i = 0; i < imageCount; i++) secondsPerImage.push((await generateImage(manifest, tokenizer, runners, { ...settings, seed: i + 1 })).elapsedMs / 1000);
    results.push({ engine: `${config.label}, ${setting.isPreset ? 'preset' : 'setting'} "${setting.name}"`, secondsPerImage, unetMs: NaN, peakMb: process.resourceUsage().maxRSS / 1024, setting: setting.name });
  }
  return results;
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

if (values.engine === 'node-settings') {
  console.log(JSON.stringify(await nodeSettings()));
  process.exit(0);
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
  const preview = await startPreview(4176);
  try {
    const browser = await launchChromium();
    // Chromium is a child of this process; so is the preview server, which is not counted.
    let peakMb = 0;
    const sampler = setInterval(() => {
      peakMb = Math.max(peakMb, treeRssMb(process.pid) - treeRssMb(preview.server.pid!) - process.memoryUsage().rss / 2 ** 20);
    }, 250);
    try {
      const page = await browser.newPage();
      await page.addInitScript(() => localStorage.setItem('cxr-studio-settings', JSON.stringify({ state: { backend: 'wasm', variant: 'fp32' }, version: 1 })));
      await page.goto(`${preview.origin}/#/generate`);
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
      // Each timed setting, same prompt: a preset as a user clicks its button, a sweep setting typed into the form
      const settingResults: Result[] = [];
      for (const setting of timedSettings) {
        const total = imageCount + 1 + imageCount * (settingResults.length + 1); // warm-up batch, then imageCount per setting
        if (setting.isPreset) {
          await page.getByTestId('fast-settings').getByRole('button', { name: new RegExp(`^${setting.label ?? setting.name}:`) }).click();
        } else {
          await page.getByLabel('Scheduler', { exact: true }).selectOption(setting.scheduler);
          await page.getByLabel('Steps', { exact: true }).fill(String(setting.steps));
          await page.getByLabel('Guidance', { exact: true }).fill(String(setting.guidance));
        }
        await page.getByLabel('Batch size', { exact: true }).fill(String(imageCount));
        await page.getByRole('button', { name: 'Generate' }).click();
        await page.getByTestId('gallery-count').filter({ hasText: new RegExp(`^${total}$`) }).waitFor({ timeout: 600_000 });
        const newest = (await page.getByTestId('provenance').allTextContents()).slice(0, imageCount).map((p) => JSON.parse(p));
        // The gallery's provenance says what was run: a form that did not take the setting fails here, not in the table
        for (const p of newest) {
          if (p.steps !== setting.steps || p.guidance !== setting.guidance || p.scheduler !== setting.scheduler || (p.unet ?? 'unet') !== (setting.unet ?? 'unet')) {
            throw new Error(`bench: the page ran ${JSON.stringify({ steps: p.steps, guidance: p.guidance, scheduler: p.scheduler, unet: p.unet })} for setting ${setting.name}`);
          }
        }
        const how = `${setting.scheduler}, ${setting.steps} steps, guidance ${setting.guidance}, ${setting.unet === 'unet_guided' ? 'one pass (unet_guided)' : setting.guidance === 1 ? 'one pass (conditional only)' : 'two passes'}`;
        const what = setting.isPreset ? `the page's preset "${setting.name}"` : `setting "${setting.name}"`;
        settingResults.push({ engine: `Chromium worker, ${what} (${how}; not the same settings as the rows above)`, secondsPerImage: newest.map((p) => p.elapsed_ms / 1000), unetMs: NaN, peakMb, setting: setting.name });
      }
      return [{ engine: `Chromium worker, onnxruntime-web/wasm (${status})`, secondsPerImage: seconds, unetMs: NaN, peakMb }, ...settingResults];
    } finally {
      clearInterval(sampler);
      await browser.close();
    }
  } finally {
    preview.stop();
  }
}

if (values.engine) {
  // Child mode: one engine, result as JSON on the last line.
  console.log(JSON.stringify(await runEngine(values.engine)));
  process.exit(0);
}

/** Runs this file for one engine in its own process (its own peak memory); its result is the last line. */
function child<T>(engine: string): T {
  const out = execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), import.meta.filename, '--engine', engine, '--images', String(imageCount), '--model-dir', bundleDir], { cwd: root }).toString().trim().split('\n');
  return JSON.parse(out[out.length - 1]);
}

const results: Result[] = [];
for (const engine of [...Object.keys(NODE_CONFIGS), 'node-wasm']) {
  const result = child<Result>(engine);
  console.log(`${result.engine}: ${result.secondsPerImage.map((s) => s.toFixed(2)).join(', ')} s/image, UNet ${result.unetMs.toFixed(0)} ms/step, peak ${result.peakMb.toFixed(0)} MB`);
  results.push(result);
}
const nodeSettingResults = child<Result[]>('node-settings');
for (const r of nodeSettingResults) console.log(`${r.engine}: ${r.secondsPerImage.map((s) => s.toFixed(2)).join(', ')} s/image`);
const cfg = child<{ batch2Ms: number; twoBatch1Ms: number }>('cfg');
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
const settingRows = timedSettings.map((setting) => {
  const seconds = (rows: Result[]) => { const r = rows.find((x) => x.setting === setting.name); return r ? mean(r.secondsPerImage) : undefined; };
  const onePass = setting.unet === 'unet_guided' || setting.guidance === 1;
  // passes: network evaluations per image; runs: session.run calls (a two-pass step is one batch-2 run)
  return { setting, unetPasses: setting.steps * (onePass ? 1 : 2), unetRuns: `${setting.steps} x batch ${onePass ? 1 : 2}`, nodeSeconds: seconds(nodeSettingResults), chromiumSeconds: seconds(browserResult ?? []), quality: sweepQuality(setting) };
});
/** Least-squares seconds = fixed + perStep x steps over the Chromium rows of one kind (two-pass or one-pass). */
function stepFit(onePass: boolean): { fixed: number; perStep: number; n: number } | undefined {
  const pts = settingRows.filter((r) => r.chromiumSeconds !== undefined && (r.setting.unet === 'unet_guided' || r.setting.guidance === 1) === onePass)
    .map((r) => [r.setting.steps, r.chromiumSeconds!] as const);
  if (pts.length < 2) return undefined;
  const mx = mean(pts.map((p) => p[0]));
  const my = mean(pts.map((p) => p[1]));
  const perStep = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return { fixed: my - perStep * mx, perStep, n: pts.length };
}
const fits = [['two passes (one batch-2 run per step)', stepFit(false)], ['one pass (one batch-1 run per step)', stepFit(true)]] as const;
const fitNote = fits.some(([, f]) => f)
  ? `A straight line through this run's Chromium rows of each kind (seconds = outside the loop + steps x per step): ${fits.flatMap(([what, f]) => (f ? [`${what}: ${f.perStep.toFixed(3)} s per step + ${f.fixed.toFixed(2)} s (${f.n} settings)`] : [])).join('; ')}. "Outside the loop" is the text encoder, the VAE decoder, PNG encoding and the worker's messages.`
  : '';
const fmt = (x: number | undefined, digits = 2) => (x === undefined ? 'n/a' : x.toFixed(digits));
const pair = (q: Quality | undefined, key: 'everyCell' | 'textOnly' | 'maskDice' | 'fid', digits = 3) => (q?.project[key] !== undefined && q.reference[key] !== undefined ? `${q.project[key]!.toFixed(digits)} / ${q.reference[key]!.toFixed(digits)}` : 'not measured');
const fidFloor = sweep.find(({ quality }) => quality.project.fidFloor !== undefined)?.quality;
const presetTable = [
  '| preset or sweep setting | settings | UNet runs / image (a two-pass step is one batch-2 run) | onnxruntime-node, 2 threads: s / image | Chromium WASM worker: s / image | adherence, every cell (project / reference-v0) | adherence, text only | mask Dice | FID vs real test |',
  '|---|---|---|---|---|---|---|---|---|',
  ...settingRows.map(({ setting, unetRuns, nodeSeconds, chromiumSeconds, quality }) => `| ${setting.isPreset ? `preset ${setting.label ?? setting.name} (\`${setting.name}\`)` : setting.name} | ${setting.scheduler} ${setting.steps} steps, guidance ${setting.guidance}, ${setting.unet === 'unet_guided' || setting.guidance === 1 ? 'one pass' : 'two passes'} | ${unetRuns} | ${fmt(nodeSeconds)} | ${fmt(chromiumSeconds)} | ${setting.probe ? 'cost probe: unguided, no quality | | | ' : `${pair(quality, 'everyCell')} | ${pair(quality, 'textOnly')} | ${pair(quality, 'maskDice', 4)} | ${pair(quality, 'fid', 2)}`} |`),
].join('\n');
const resultsDir = join(root, 'docs/benchmarks');
mkdirSync(resultsDir, { recursive: true });
const presetsJson = join(resultsDir, 'generate-presets.json');
writeFileSync(presetsJson, JSON.stringify({ measured: date, cpu, load, bundle: manifest.id, images_per_setting: imageCount, settings: settingRows, chromium_step_fit: Object.fromEntries(fits.map(([what, f]) => [what, f ?? null])) }, null, 1) + '\n');
const plot = join(resultsDir, 'seconds_vs_quality.png');
let plotNote: string;
try {
  execFileSync('/usr/bin/python3', ['-m', 'training.evaluate.seconds_vs_quality', '--json', presetsJson, '--out', plot], { cwd: root, stdio: 'inherit' });
  plotNote = `![seconds per image vs prompt adherence per preset, by both judges](docs/benchmarks/seconds_vs_quality.png)`;
} catch {
  plotNote = '(No plot this run: `/usr/bin/python3 -m training.evaluate.seconds_vs_quality` needs matplotlib.)';
}
const table = [
  '| engine | s / image | × native (first row) | UNet ms / step (batch 2) | peak memory MB |',
  '|---|---|---|---|---|',
  ...results.map((r) => `| ${r.engine} | ${mean(r.secondsPerImage).toFixed(2)} | ${(mean(r.secondsPerImage) / native).toFixed(2)} | ${Number.isNaN(r.unetMs) ? 'n/a' : r.unetMs.toFixed(0)} | ${r.peakMb.toFixed(0)} |`),
].join('\n');
const section = `## Generation (text + mask -> 256 px image), bundle ${manifest.id}

Measured ${date} on a 2-core development machine (${cpu}; load average ${load} when it
finished, the bench's own processes included: on a machine shared with other jobs the numbers
are noisy, and a second ORT thread often loses more to contention than it gains). Bundle \`${manifest.id}\`, fp32, 20 DDIM steps, guidance 3 (conditional and
unconditional in one batch-2 UNet run per step), mean of ${imageCount} image(s) after a warm-up;
the time covers the whole pipeline (src/core/pipelines/generate.ts). Peak memory: max RSS of
the engine's own process; for Chromium, the largest sum of RSS over the browser's process
tree while it ran. Made by \`npx vite build && npx tsx bench/generate.bench.ts\`.

${table}

What the settings bought (onnxruntime-node rows above, same run): compare "optimization all"
with "basic" / "disabled", and 2 threads with 1. Batching the conditional and unconditional
UNet passes into one batch-2 run: ${cfg.batch2Ms.toFixed(0)} ms per step vs ${cfg.twoBatch1Ms.toFixed(0)} ms for two batch-1 runs
(onnxruntime-node, 2 threads, 10 steps each).

### The Generate page's presets and the sampler sweep's settings: seconds and quality

Each preset as the page offers it (the manifest's \`diffusion.presets\`, or its \`fast\` and
\`defaults\`; clicked), then each other setting of the sampler sweep (typed into the form), the same
prompt, mean of ${imageCount} image(s) after a warm-up, in this run; every image's provenance is checked
to have run the setting. Quality is not measured by this bench: it comes from
\`training/runs/sampler_sweep/\` (the bundle's generator at the same UNet, scheduler, steps and guidance,
both judges, n = 16 per cell over 4 class prompts x 6 mask conditions; "every cell" includes masks crossed
between sources, "text only" has no mask; section "Sampler steps vs quality by both judges" below). A
setting the sweep did not run says "not measured" (a one-pass student's preset: run the sweep with
\`scheduler:steps:one-pass\`). The one-pass cost probes (guidance 1: the conditional pass alone, one batch-1 UNet run per
step) time what a guidance-distilled student would cost at that step count; their images are
unguided, so no quality is given for them. FID is on each judge's classifier features (256-d), the
setting's generated images from every cell (findings balanced) against 96 real test images per finding;
at these sizes FID is biased upward, so read it against real vs real: ${fidFloor ? `balanced real train images against the same test images score ${fidFloor.project.fidFloor!.toFixed(2)} / ${fidFloor.reference.fidFloor!.toFixed(2)}` : 'not measured'}. The numbers are also in \`docs/benchmarks/generate-presets.json\`.

${presetTable}

${fitNote}

${plotNote}
`;
const path = join(root, 'BENCHMARKS.md');
const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
const marker = new RegExp(`## Generation \\(text \\+ mask -> 256 px image\\), bundle ${manifest.id}\\n[\\s\\S]*?(?=\\n## |$)`);
writeFileSync(path, marker.test(existing) ? existing.replace(marker, section.trimEnd() + '\n') : `${existing.trimEnd()}\n\n${section}`);
console.log(`bench: wrote ${path}`);
process.exit(0);
