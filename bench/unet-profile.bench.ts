/**
 * Where a UNet step's time goes (and the VAE decoder's one run per image), per operator type, in onnxruntime-web/wasm (in Node) and
 * onnxruntime-node, one thread each, so the two columns compare kernel speed and nothing
 * else: the batch-2 (conditional + unconditional) UNet run of one denoising step,
 * profiled by onnxruntime's own profiler (`enableProfiling`), the first run discarded as
 * warm-up. Appends/replaces its BENCHMARKS.md section.
 *
 *   npx tsx bench/unet-profile.bench.ts [--runs 8] [--unet public/models/<id>/unet.onnx ...]
 *
 * With several --unet files (e.g. an int8 experiment next to the shipped fp32 one) the
 * section gets one line of totals per file and the per-operator table of the first.
 * Each engine runs in its own child process: the WASM profiler prints its JSON to stdout.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultBundleDir, readBundle } from '../cli/bundle.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '8' },
    unet: { type: 'string', multiple: true },
    child: { type: 'string' }, // internal: 'wasm' | 'node', profile one file and print the events
    file: { type: 'string' },
  },
});
const runs = Number(values.runs);

interface ProfileEvent { cat: string; name: string; dur: number; ts: number; args?: { op_name?: string } }

/** Inputs of one guided denoising step (batch 2), or of the VAE decoder's one run per
 * image (batch 1, input "latent"); deterministic values. */
function feedsFor<T>(inputNames: readonly string[], make: (data: Float32Array, dims: number[]) => T): Record<string, T> {
  const filled = (dims: number[]) => make(Float32Array.from({ length: dims.reduce((a, b) => a * b) }, (_, i) => 0.5 * Math.sin(i)), dims);
  if (inputNames.includes('latent')) return { latent: filled([1, 4, 32, 32]) };
  return {
    sample: filled([2, 4, 32, 32]),
    timestep: make(new Float32Array([500, 500]), [2]),
    encoder_hidden_states: filled([2, 32, 256]),
    mask_cond: make(Float32Array.from({ length: 2 * 5 * 32 * 32 }, (_, i) => (i % 7 < 3 ? 1 : 0)), [2, 5, 32, 32]),
  };
}

async function child(engine: string, file: string): Promise<void> {
  if (engine === 'wasm') {
    const ort = await import('onnxruntime-web/wasm');
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(readFileSync(file), { executionProviders: ['wasm'], graphOptimizationLevel: 'all', enableProfiling: true });
    const feeds = feedsFor(session.inputNames, (data, dims) => new ort.Tensor('float32', data, dims));
    for (let i = 0; i < runs + 1; i++) await session.run(feeds);
    session.endProfiling(); // the WASM build prints the trace to stdout
    return;
  }
  const ort = await import('onnxruntime-node');
  const dir = mkdtempSync(join(tmpdir(), 'unet-profile-'));
  const session = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1, enableProfiling: true, profileFilePrefix: join(dir, 'native'),
  });
  const feeds = feedsFor(session.inputNames, (data, dims) => new ort.Tensor('float32', data, dims));
  for (let i = 0; i < runs + 1; i++) await session.run(feeds);
  session.endProfiling();
  await session.release();
  const trace = readdirSync(dir).find((f) => f.endsWith('.json'));
  if (!trace) throw new Error(`onnxruntime-node wrote no profile into ${dir}`);
  process.stdout.write(readFileSync(join(dir, trace), 'utf8'));
  rmSync(dir, { recursive: true });
}

interface Profile { runMs: number[]; byOp: Map<string, number>; byNode: Map<string, { op: string; ms: number }> }

/** Mean ms per run, per operator type and per node, over the runs after the first. */
function profileOf(engine: string, file: string): Profile {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', engine, '--file', file, '--runs', String(runs)],
    { cwd: root, maxBuffer: 1 << 28, encoding: 'utf8' });
  const start = stdout.indexOf('[\n');
  if (start < 0) throw new Error(`${engine}: no profile in its output:\n${stdout.slice(0, 500)}`);
  const events = JSON.parse(stdout.slice(start, stdout.lastIndexOf(']') + 1)) as ProfileEvent[];
  const modelRuns = events.filter((e) => e.name === 'model_run');
  if (modelRuns.length !== runs + 1) throw new Error(`${engine}: expected ${runs + 1} profiled runs, found ${modelRuns.length}`);
  const after = modelRuns[1].ts;
  const byOp = new Map<string, number>();
  const byNode = new Map<string, { op: string; ms: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < after) continue;
    const op = e.args?.op_name ?? '?';
    const ms = e.dur / 1000 / runs;
    byOp.set(op, (byOp.get(op) ?? 0) + ms);
    const node = e.name.replace(/_kernel_time$/, '');
    byNode.set(node, { op, ms: (byNode.get(node)?.ms ?? 0) + ms });
  }
  return { runMs: modelRuns.slice(1).map((e) => e.dur / 1000), byOp, byNode };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  if (values.child) return child(values.child, values.file!);
  const manifest = readBundle(defaultBundleDir());
  const files = values.unet?.length ? values.unet.map((f) => resolve(f)) : [join(defaultBundleDir(), manifest.models.unet!.variants.fp32.file)];
  const results = files.map((file) => {
    const wasm = profileOf('wasm', file);
    const native = profileOf('node', file);
    console.log(`${basename(file)}: wasm ${median(wasm.runMs).toFixed(0)} ms, native ${median(native.runMs).toFixed(0)} ms per run`);
    return { file, wasm, native };
  });
  // the VAE decoder runs once per image, outside the denoising loop
  const decoderFile = join(defaultBundleDir(), manifest.models.vae_decoder!.variants.fp32.file);
  const decoder = { wasm: profileOf('wasm', decoderFile), native: profileOf('node', decoderFile) };
  const decoderOps = [...decoder.wasm.byOp.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([op, ms]) => `${op} ${ms.toFixed(0)} vs ${(decoder.native.byOp.get(op) ?? 0).toFixed(0)} ms`).join(', ');
  console.log(`vae_decoder: wasm ${median(decoder.wasm.runMs).toFixed(0)} ms, native ${median(decoder.native.runMs).toFixed(0)} ms per run`);
  const { wasm, native } = results[0];
  const wasmTotal = sum(wasm.byOp);
  const ops = [...new Set([...wasm.byOp.keys(), ...native.byOp.keys()])].sort((a, b) => (wasm.byOp.get(b) ?? 0) - (wasm.byOp.get(a) ?? 0));
  const shown = ops.filter((op) => (wasm.byOp.get(op) ?? 0) >= 0.01 * wasmTotal);
  const rest = ops.filter((op) => !shown.includes(op));
  const restOf = (m: Map<string, number>) => rest.reduce((a, op) => a + (m.get(op) ?? 0), 0);
  const row = (name: string, w: number, n: number) => `| ${name} | ${w.toFixed(1)} | ${n.toFixed(1)} | ${n > 0 ? (w / n).toFixed(1) : 'n/a'} | ${((100 * w) / wasmTotal).toFixed(0)}% |`;
  const opTable = [
    '| operator | WASM ms / run | native ms / run | WASM ÷ native | share of WASM time |',
    '|---|---|---|---|---|',
    ...shown.map((op) => row(op, wasm.byOp.get(op) ?? 0, native.byOp.get(op) ?? 0)),
    row(`${rest.length} others (${rest.join(', ')})`, restOf(wasm.byOp), restOf(native.byOp)),
    row('**all kernels**', wasmTotal, sum(native.byOp)),
  ].join('\n');
  const topNodes = [...wasm.byNode.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 6)
    .map(([name, { op, ms }]) => `\`${name}\` (${op}) ${ms.toFixed(1)} ms`).join(', ');
  // files outside the repository (experiments) by name only: a temp path means nothing to a reader
  const label = (file: string) => (relative(root, file).startsWith('..') ? basename(file) : relative(root, file));
  const totals = results.map(({ file, wasm: w, native: n }) =>
    `| \`${label(file)}\` | ${median(w.runMs).toFixed(0)} | ${median(n.runMs).toFixed(0)} | ${(median(w.runMs) / median(n.runMs)).toFixed(1)} |`).join('\n');
  const section = `## UNet step profile (per operator, WASM vs native, one thread each)

Measured ${new Date().toUTCString()} on a 2-core development machine (${cpus()[0]?.model.trim() ?? 'unknown CPU'}, shared
with other work: load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} when it finished). One guided
denoising step (the batch-2 UNet run), ${runs} profiled runs after a warm-up, onnxruntime's own
profiler (\`enableProfiling\`), graph optimization "all", one thread in both engines so the
columns compare kernels, not threading. Made by \`npx tsx bench/unet-profile.bench.ts\`.

| UNet file | WASM ms / run (median) | native ms / run (median) | WASM ÷ native |
|---|---|---|---|
${totals}

Per operator type, \`${label(results[0].file)}\` (mean ms per run; kernel times only, so the
sums are a little under the run times above):

${opTable}

Slowest WASM nodes: ${topNodes}.

The VAE decoder (\`${label(decoderFile)}\`, one batch-1 run per image, outside the denoising loop), same
method: WASM ${median(decoder.wasm.runMs).toFixed(0)} ms, native ${median(decoder.native.runMs).toFixed(0)} ms per run (${(median(decoder.wasm.runMs) / median(decoder.native.runMs)).toFixed(1)}x); largest operators, WASM vs
native: ${decoderOps}.
`;
  const path = join(root, 'BENCHMARKS.md');
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const marker = /## UNet step profile \(per operator, WASM vs native, one thread each\)\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(path, marker.test(existing) ? existing.replace(marker, section.trimEnd() + '\n') : `${existing.trimEnd()}\n\n${section}`);
  console.log(`bench: wrote ${path}`);
}

await main();
