/**
 * How small the distilled VAE decoder must be (issue 18: <= 0.4 s in WASM on 2 cores):
 * ms per batch-1 run of the shipped decoder and of candidate students
 * (training/train/distill_decoder.py --export-random: the time does not depend on the weights),
 * in onnxruntime-web/wasm in Node and onnxruntime-node, one thread each (the WASM build
 * in Node cannot start its thread pool: it fetches its worker script), the first run
 * discarded; the ratio to the shipped decoder carries over to the 2-thread Chromium worker. Each engine runs in its own child process. Appends/replaces its
 * BENCHMARKS.md section.
 *
 *   npx tsx bench/decoder-size.bench.ts --decoder .runs/dec/small_128_64_32.onnx [--decoder ...] [--runs 10]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultBundleDir, readBundle } from '../cli/bundle.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    threads: { type: 'string', default: '1' },
    decoder: { type: 'string', multiple: true },
    child: { type: 'string' }, // internal: 'wasm' | 'node'
    file: { type: 'string' },
  },
});
const runs = Number(values.runs);
const threads = Number(values.threads);

/** Prints the ms of each run after the first, as JSON. */
async function child(engine: string, file: string): Promise<void> {
  const latent = Float32Array.from({ length: 4 * 32 * 32 }, (_, i) => 0.5 * Math.sin(i));
  const times: number[] = [];
  if (engine === 'wasm') {
    const ort = await import('onnxruntime-web/wasm');
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(readFileSync(file), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const feeds = { latent: new ort.Tensor('float32', latent, [1, 4, 32, 32]) };
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      await session.run(feeds);
      if (i) times.push(performance.now() - t);
    }
  } else {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads });
    const feeds = { latent: new ort.Tensor('float32', latent, [1, 4, 32, 32]) };
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      await session.run(feeds);
      if (i) times.push(performance.now() - t);
    }
  }
  process.stdout.write(`\n${JSON.stringify(times)}\n`);
}

function timesOf(engine: string, file: string): number[] {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', engine, '--file', file,
    '--runs', String(runs), '--threads', String(threads)], { cwd: root, encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop()!) as number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (values.child) return child(values.child, values.file!);
  const manifest = readBundle(defaultBundleDir());
  const shipped = join(defaultBundleDir(), manifest.models.vae_decoder!.variants.fp32.file);
  const files = [shipped, ...(values.decoder ?? []).map((f) => resolve(f))];
  const load = loadavg()[0];
  const rows = files.map((file) => {
    const wasm = median(timesOf('wasm', file));
    const native = median(timesOf('node', file));
    console.log(`${basename(file)}: wasm ${wasm.toFixed(0)} ms, native ${native.toFixed(0)} ms`);
    return { file, wasm, native };
  });
  const base = rows[0];
  // The shipped decoder's quiet-machine WASM time, one thread (the profile section: 2.0-2.6 s): scaled by each speed-up.
  const quiet = (r: { wasm: number }) => `${((2.0 * r.wasm) / base.wasm).toFixed(2)}-${((2.6 * r.wasm) / base.wasm).toFixed(2)}`;
  const table = rows.map((r) => `| \`${relative(root, r.file)}\` | ${r.wasm.toFixed(0)} | ${r.native.toFixed(0)} | ${(base.wasm / r.wasm).toFixed(1)}x | ${quiet(r)} |`).join('\n');
  const section = `## VAE decoder size for issue 18 (WASM and native, one thread)

\`npx tsx bench/decoder-size.bench.ts\`, ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}
(${cpus().length} cores, load average ${load.toFixed(1)} at the start: other work shared the cores, so
absolute times are high and noisy; the ratios to the shipped decoder, measured in the same run, are what
sizes the student). Median of ${runs} batch-1 runs after a warm-up; onnxruntime-web/wasm in Node, one
thread (the same kernels as the Chromium worker, RUNTIME-NOTES.md), and onnxruntime-node, ${threads} thread(s). Students have random
weights (\`training/train/distill_decoder.py --export-random\`): time does not depend on the values.

| decoder | WASM ms | native ms | WASM speed-up vs shipped | WASM s expected on a quiet machine (shipped: 2.0-2.6 s, one thread) |
|---|---|---|---|---|
${table}
`;
  const path = join(root, 'BENCHMARKS.md');
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const marker = /## VAE decoder size for issue 18 \([^\n]*\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(path, marker.test(existing) ? existing.replace(marker, section.trimEnd() + '\n') : `${existing.trimEnd()}\n\n${section}`);
  console.log(`bench: wrote ${path}`);
}

await main();
