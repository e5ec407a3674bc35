/**
 * How far onnxruntime-web's WebGPU provider is from its WASM provider on a bundle's analysis
 * models, against the first-run check's tolerance (src/core/pipelines/crossCheck.ts, 1e-2 of
 * each output's largest value): each variant of the segmenter and classifier opened in a
 * Chromium page on both providers, one batch of two 256 px images (a fixed smooth pattern in
 * [0.1, 0.9]), every output compared with the check's own `compareOutputs`. A row that does not
 * agree means users of that model on this adapter would be moved to WASM.
 *
 *   npx tsx bench/webgpu-agreement.bench.ts [--model-dir public/models/<id>]
 */
import { cpus } from 'node:os';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultBundleDir, readBundle } from '../cli/bundle.ts';
import { compareOutputs } from '../src/core/pipelines/crossCheck.ts';
import { float32Tensor, type TensorMap } from '../src/core/runner.ts';
import { launchChromium, ortPage } from './preview.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { 'model-dir': { type: 'string' } } });
const bundleDir = values['model-dir'] ? resolve(values['model-dir']) : defaultBundleDir();
const manifest = readBundle(bundleDir);
const files = (['segmenter', 'classifier'] as const).flatMap((role) => {
  const spec = manifest.models[role];
  return spec ? Object.entries(spec.variants).map(([variant, v]) => ({ label: `${role} ${variant}`, file: v!.file, input: spec.inputs[0].name })) : [];
});

const browser = await launchChromium({ webgpu: true });
const page = await ortPage(browser, bundleDir);
const runs = await page.evaluate(async (files) => {
  const ort = await import('/ort/ort.webgpu.min.mjs' as string);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = '/ort/';
  const n = 2 * 256 * 256;
  const image = Float32Array.from({ length: n }, (_, i) => 0.5 + 0.4 * Math.sin(i / 97) * Math.cos(i / 1013));
  const out: Array<Record<string, Record<string, { dims: number[]; data: number[] }>>> = [];
  for (const { file, input } of files) {
    const both: Record<string, Record<string, { dims: number[]; data: number[] }>> = {};
    for (const ep of ['wasm', 'webgpu']) {
      const session = await ort.InferenceSession.create(`/${file}`, { executionProviders: [ep], graphOptimizationLevel: 'all' });
      const result = await session.run({ [input]: new ort.Tensor('float32', image, [2, 1, 256, 256]) });
      both[ep] = {};
      for (const [name, t] of Object.entries(result) as Array<[string, { dims: number[]; getData(): Promise<Float32Array> }]>) both[ep][name] = { dims: [...t.dims], data: Array.from(await t.getData()) };
      await session.release();
    }
    out.push(both);
  }
  return out;
}, files);
const adapter = await page.evaluate(async () => {
  const info = (await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> } }).gpu?.requestAdapter())?.info;
  return info ? `${info.vendor} ${info.architecture}` : 'no adapter';
});
await browser.close();

const tensors = (outputs: Record<string, { dims: number[]; data: number[] }>): TensorMap =>
  Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, float32Tensor(Float32Array.from(t.data), t.dims)]));
console.log(`${new Date().toISOString()} · ${cpus().length}-core ${cpus()[0]?.model.trim()} · Chromium WebGPU (${adapter}) vs WASM · ${relative(root, bundleDir)}, batch 2, 1 WASM thread`);
console.log('| model | output | max abs diff | largest abs value | first-run check |\n|---|---|---|---|---|');
files.forEach(({ label }, i) => {
  const wasm = tensors(runs[i].wasm);
  const webgpu = tensors(runs[i].webgpu);
  for (const name of Object.keys(wasm)) {
    const { maxAbsDiff, agrees } = compareOutputs({ [name]: webgpu[name] }, { [name]: wasm[name] });
    const largest = (wasm[name].data as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    console.log(`| ${label} | ${name} | ${maxAbsDiff.toExponential(1)} | ${largest.toFixed(1)} | ${agrees ? 'agrees' : 'DISAGREES: moves to WASM'} |`);
  }
});
