/**
 * Where a generation's time goes on a WebGPU adapter (here SwiftShader, Chromium's software
 * one): each generator model of a bundle opened alone in a Chromium page on onnxruntime-web's
 * WebGPU (or WASM) provider, batch 1, one WASM thread, the same input run twice. Session
 * creation, the first run (shader compilation included) and the second run, in seconds,
 * printed as a BENCHMARKS.md table row per model. The page is served by Playwright from this
 * checkout (ORT's dist and the bundle's files), so no build is needed.
 *
 *   npx tsx bench/webgpu-models.bench.ts [--ep webgpu|wasm] [--model-dir public/models/<id>]
 */
import { cpus } from 'node:os';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultBundleDir, readBundle } from '../cli/bundle.ts';
import { launchChromium, ortPage } from './preview.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { ep: { type: 'string', default: 'webgpu' }, 'model-dir': { type: 'string' } } });
const ep = values.ep!;
if (ep !== 'webgpu' && ep !== 'wasm') throw new Error(`--ep must be webgpu or wasm, not ${ep}`);
const bundleDir = values['model-dir'] ? resolve(values['model-dir']) : defaultBundleDir();
const manifest = readBundle(bundleDir);

/** Each model's inputs: batch 1 at the manifest's shapes, a fixed smooth pattern (the run time does not depend on it). */
const roles = (['text_encoder', 'unet', 'vae_decoder'] as const).filter((role) => manifest.models[role]);
const models = roles.map((role) => {
  const spec = manifest.models[role]!;
  return {
    role,
    file: spec.variants.fp32.file,
    inputs: spec.inputs.map((input) => ({ name: input.name, dtype: input.dtype, dims: input.shape.map((d) => (typeof d === 'number' ? d : 1)) })),
  };
});

const browser = await launchChromium({ webgpu: ep === 'webgpu' });
const page = await ortPage(browser, bundleDir);
const rows = await page.evaluate(async ({ models, ep }) => {
  const ort = await import('/ort/ort.webgpu.min.mjs' as string);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = '/ort/';
  const seconds = (from: number) => (performance.now() - from) / 1000;
  const out: Array<{ role: string; create: number; first: number; second: number }> = [];
  for (const model of models) {
    const feeds = Object.fromEntries(model.inputs.map(({ name, dtype, dims }) => {
      const n = dims.reduce((a, d) => a * d, 1);
      const data = dtype === 'int64' ? new BigInt64Array(n) : Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i));
      return [name, new ort.Tensor(dtype, data, dims)];
    }));
    let t = performance.now();
    const session = await ort.InferenceSession.create(`/${model.file}`, { executionProviders: [ep] });
    const create = seconds(t);
    t = performance.now();
    await session.run(feeds);
    const first = seconds(t);
    t = performance.now();
    await session.run(feeds);
    const second = seconds(t);
    await session.release();
    out.push({ role: model.role, create, first, second });
  }
  return out;
}, { models, ep });
const adapter = ep === 'webgpu' ? await page.evaluate(async () => {
  const info = (await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> } }).gpu?.requestAdapter())?.info;
  return info ? `${info.vendor} ${info.architecture}` : 'no adapter';
}) : 'n/a';
await browser.close();

console.log(`${new Date().toISOString()} · ${cpus().length}-core ${cpus()[0]?.model.trim()} · Chromium ${ep}${ep === 'webgpu' ? ` (${adapter})` : ''} · ${relative(root, bundleDir)} fp32, batch 1, 1 WASM thread`);
console.log('| model | session create s | first run s | second run s |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.role} | ${r.create.toFixed(1)} | ${r.first.toFixed(1)} | ${r.second.toFixed(1)} |`);
