/**
 * Batch queue throughput: the same short job (IMAGES images of one prompt and one mask at
 * STEPS steps) through a private redis-server with 1, 2 and 4 local worker processes
 * (concurrency 1 each, cores / workers threads each), and the overhead per shard: one
 * worker running the job as 1 shard vs as IMAGES shards of one image. Prints a markdown
 * section for BENCHMARKS.md.
 *
 * The overhead per shard is also read from BullMQ's own times: per shard, the time a
 * worker held it minus runShard's time (spec, bundle and mask checks, progress), and the
 * gap from one shard's end to the next one's start (queue pickup); the first shard,
 * which opens the models in the sandboxed child, is reported apart.
 *
 *   npx tsx bench/batch.bench.ts [--images 8] [--steps 4] [--overhead-only]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildJobSpec } from '../src/core/batch/buildJobSpec.ts';
import { readBundle } from '../cli/bundle.ts';
import { enqueue, queueStatus, redisConnection } from '../cli/batch/queue.ts';
import { startRedis } from '../cli/batch/testing/redisServer.ts';

const { values } = parseArgs({ options: { images: { type: 'string', default: '8' }, steps: { type: 'string', default: '4' }, 'overhead-only': { type: 'boolean', default: false } } });
const images = Number(values.images);
const steps = Number(values.steps);
const BUNDLE = resolve(import.meta.dirname, '../public/models/cxr-studio-v1');
const MAIN = resolve(import.meta.dirname, '../cli/main.ts');
const cores = availableParallelism();

const work = mkdtempSync(join(tmpdir(), 'cxr-batch-bench-'));
const manifest = readBundle(BUNDLE);
const maskBytes = readFileSync(join(BUNDLE, 'examples/lung_mean_shenzhen.png'));
const spec = await buildJobSpec({
  manifest,
  prompts: ['chest x-ray, pneumonia, pa view, adult'],
  masks: [{ path: 'lung.png', bytes: maskBytes, convention: 'shenzhen' }],
  seeds: { start: 0, count: images },
  settings: { steps, guidance: 5, scheduler: 'ddim' },
  filter: { minFindingProbability: 0.5, minMaskDice: 0.8 },
});
mkdirSync(join(work, 'job'));
writeFileSync(join(work, 'job', 'lung.png'), maskBytes);
const specPath = join(work, 'job', 'spec.json');
writeFileSync(specPath, JSON.stringify(spec));

const redis = await startRedis();
const connection = redisConnection(redis.url);

function worker(threads: number): Promise<void> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'batch', 'worker', '--redis', redis.url, '--threads', String(threads), '--device', 'cpu', '--until-empty'], {
      stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' },
    });
    child.once('exit', (code) => (code === 0 ? resolveExit() : reject(new Error(`worker exited with ${code}`))));
  });
}

interface Row { label: string; workers: number; shards: number; seconds: number; load: number }

async function measure(label: string, workers: number, shards: number): Promise<Row> {
  const out = join(work, `out-${workers}-${shards}`);
  await enqueue({ spec: specPath, out, connection, shards, attempts: 1 });
  const load = loadavg()[0];
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, () => worker(Math.max(1, Math.floor(cores / workers)))));
  const seconds = (performance.now() - started) / 1000;
  const made = readdirSync(join(out, 'provenance')).length + (readdirSync(out).includes('rejected') ? readdirSync(join(out, 'rejected', 'provenance')).length : 0);
  if (made !== images) throw new Error(`${label}: ${made} images, expected ${images}`);
  console.error(`${label}: ${seconds.toFixed(1)} s`);
  return { label, workers, shards, seconds, load };
}

const rows: Row[] = [];
let held: number[] = [];
let gaps: number[] = [];
try {
  if (!values['overhead-only']) for (const workers of [1, 2, 4]) rows.push(await measure(`${workers} worker(s)`, workers, Math.min(images, 4)));
  rows.push(await measure('1 worker, 1 shard', 1, 1));
  rows.push(await measure(`1 worker, ${images} shards`, 1, images));
  const status = await queueStatus(connection);
  if (status.counts.failed > 0) throw new Error(`${status.counts.failed} shard(s) failed`);
  const shards = status.shards.filter((s) => s.result && s.result.total === 1 && s.name.endsWith(`/${images}`)).sort((a, b) => a.processedOn! - b.processedOn!);
  held = shards.map((s) => s.finishedOn! - s.processedOn! - s.result!.elapsedMs);
  gaps = shards.slice(1).map((s, i) => s.processedOn! - shards[i].finishedOn!);
} finally {
  await connection.quit();
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const scaling = rows.slice(0, -2);
const [one, many] = rows.slice(-2);
const perShard = (many.seconds - one.seconds) / (images - 1);
if (scaling.length > 0) {
  console.log(`| local workers | threads each | shards | wall s (incl. start-up) | images/s | × 1 worker | load (1 min) at start |
|---|---|---|---|---|---|---|
${scaling.map((r) => `| ${r.workers} | ${Math.max(1, Math.floor(cores / r.workers))} | ${r.shards} | ${r.seconds.toFixed(1)} | ${(images / r.seconds).toFixed(3)} | ${(scaling[0].seconds / r.seconds).toFixed(2)} | ${r.load.toFixed(1)} |`).join('\n')}
`);
}
console.log(`Overhead per shard (1 worker, models kept open in its sandboxed child between shards):
wall ${one.label} ${one.seconds.toFixed(1)} s vs ${many.label} ${many.seconds.toFixed(1)} s: ${perShard.toFixed(2)} s per extra shard (load ${one.load.toFixed(1)} / ${many.load.toFixed(1)} at start);
BullMQ's times: held outside runShard ${held[0].toFixed(0)} ms for the first shard (opens the models), mean ${mean(held.slice(1)).toFixed(0)} ms for the other ${held.length - 1}; pickup gap between shards mean ${mean(gaps).toFixed(0)} ms (max ${Math.max(...gaps)}).`);
