import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJobSpec } from '../../src/core/batch/buildJobSpec.ts';
import { DEFAULT_VARIANT_RANGES } from '../../src/core/mask/variants.ts';
import { readBundle } from '../bundle.ts';
import { REJECTED } from './outputFolder.ts';
import { enqueue, queueStatus, redisConnection } from './queue.ts';
import { runBatch } from './runCommand.ts';
import { REDIS_SERVER, startRedis, type TestRedis } from './testing/redisServer.ts';

// A small job at 2 sampling steps: one prompt, one mask in two variants (the Masks page's
// recipe), seeds 0..1: 4 images. One thread per process keeps the 2 cores shared fairly.
const BUNDLE = resolve(import.meta.dirname, '../../public/models/cxr-studio-v1');
const MAIN = resolve(import.meta.dirname, '../main.ts');
const haveRedis = existsSync(REDIS_SERVER);
if (!haveRedis && process.env.CI) throw new Error(`${REDIS_SERVER} is missing: the batch queue tests need the Debian package redis-server (.ci/run installs it)`);
if (!haveRedis) console.warn(`batch queue tests skipped: ${REDIS_SERVER} is missing (apt-get install redis-server)`);

const work = mkdtempSync(join(tmpdir(), 'cxr-batch-'));
const specPath = join(work, 'job', 'spec.json');

/** Every finished image under `out`: stem -> kept or rejected, and its PNG's bytes. */
function finished(out: string): Map<string, { kept: boolean; png: Buffer }> {
  const images = new Map<string, { kept: boolean; png: Buffer }>();
  for (const [root, kept] of [[out, true], [join(out, REJECTED), false]] as const) {
    const dir = join(root, 'provenance');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const stem = file.slice(0, -5);
      if (images.has(stem)) throw new Error(`${stem} is both kept and rejected`);
      images.set(stem, { kept, png: readFileSync(join(root, 'images', `${stem}.png`)) });
    }
  }
  return images;
}

function startWorker(args: string[], logTo: string[]): ChildProcess {
  // its own process group, so a SIGKILL takes the worker and its sandboxed children, as a pod's end would
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'batch', 'worker', '--threads', '1', '--device', 'cpu', ...args], {
    detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' },
  });
  child.stdout!.on('data', (d: Buffer) => logTo.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => logTo.push(d.toString()));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let reference: Map<string, { kept: boolean; png: Buffer }>;

beforeAll(async () => {
  const manifest = readBundle(BUNDLE);
  const maskBytes = readFileSync(join(BUNDLE, 'examples/lung_mean_shenzhen.png'));
  const spec = await buildJobSpec({
    manifest,
    prompts: ['chest x-ray, pneumonia, pa view, adult'],
    masks: [{ path: 'masks/lung.png', bytes: maskBytes, convention: 'shenzhen' }],
    variants: { count: 2, seed: 7, ranges: DEFAULT_VARIANT_RANGES },
    seeds: { start: 0, count: 2 },
    settings: { steps: 2, guidance: 5, scheduler: 'ddim' },
    filter: { minFindingProbability: 0.5, minMaskDice: 0.8 },
  });
  rmSync(join(work, 'job'), { recursive: true, force: true });
  for (const [path, bytes] of [['masks/lung.png', maskBytes], ['spec.json', JSON.stringify(spec, null, 2)]] as const) {
    const file = join(work, 'job', path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, bytes);
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('batch run on cxr-studio-v1', () => {
  it('makes every image of the spec once, filters it, and a rerun skips them all', async () => {
    const out = join(work, 'single');
    const lines: string[] = [];
    const first = await runBatch({ spec: specPath, out, shard: { index: 0, count: 1 }, device: 'cpu', threads: 1, log: (l) => lines.push(l) });
    expect(first).toMatchObject({ total: 4, done: 4, skipped: 0 });
    reference = finished(out);
    expect([...reference.keys()].sort()).toEqual(['m1v1', 'm1v2'].flatMap((m) => [0, 1].map((s) => `p1-${m}-seed${s}`)).sort());
    expect(first.kept + first.rejected).toBe(4);
    expect([...reference.values()].filter((i) => i.kept)).toHaveLength(first.kept);

    // the Curate zip's layout: labels.csv rows are the kept images; a provenance names what made each one
    const labels = readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n');
    expect(labels).toHaveLength(1 + first.kept);
    const stem = [...reference.keys()][0];
    const root = reference.get(stem)!.kept ? out : join(out, REJECTED);
    const record = JSON.parse(readFileSync(join(root, 'provenance', `${stem}.json`), 'utf8'));
    expect(record).toMatchObject({ format: 'cxr-studio-curated/1', image_id: stem, generation: { steps: 2, guidance: 5, engine: 'onnxruntime-node (cpu, fp32)', mask_editor: { source: 'lung.png' } } });
    expect(record.proxy.maskChannel).toBe('lung_shenzhen');
    expect(existsSync(join(root, 'masks', `${stem}.png`))).toBe(true);

    const before = statSync(join(root, 'images', `${stem}.png`)).mtimeMs;
    const again = await runBatch({ spec: specPath, out, shard: { index: 0, count: 1 }, device: 'cpu', threads: 1, log: () => {} });
    expect(again).toMatchObject({ total: 4, skipped: 4, kept: 0, rejected: 0 });
    expect(statSync(join(root, 'images', `${stem}.png`)).mtimeMs).toBe(before);
  }, 180_000);

  it('runs shard i/n from JOB_COMPLETION_INDEX, as the Kubernetes Indexed Job does, with the same bytes', async () => {
    const out = join(work, 'indexed');
    const logs: string[] = [];
    const shards = [0, 1].map((index) => {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'batch', 'run', specPath, '--out', out, '--shards', '2', '--threads', '1'], {
        stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', JOB_COMPLETION_INDEX: String(index) },
      });
      child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
      return exited(child);
    });
    expect(await Promise.all(shards)).toEqual([0, 0]);
    const text = logs.join('');
    expect(text).toContain('CUDA execution provider not installed with onnxruntime-node; running on the CPU');
    expect(text).toContain('shard 1/2 (seeds 1..1): 2 image(s)');
    expect(text).toContain('shard 0/2 (seeds 0..0): 2 image(s)');
    const images = finished(out);
    expect(images.size).toBe(4);
    for (const [stem, image] of images) expect({ stem, ...image }).toEqual({ stem, ...reference.get(stem)! });
  }, 180_000);
});

describe.skipIf(!haveRedis)('batch queue: BullMQ on a private redis-server', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two workers make every image exactly once, byte-identical to batch run', async () => {
    const out = join(work, 'queued');
    const connection = redisConnection(redis.url);
    await enqueue({ spec: specPath, out, connection, shards: 2, attempts: 2 });
    const logs: string[] = [];
    const workers = [startWorker(['--redis', redis.url, '--until-empty'], logs), startWorker(['--redis', redis.url, '--until-empty'], logs)];
    expect(await Promise.all(workers.map(exited))).toEqual([0, 0]);

    const images = finished(out);
    expect(images.size).toBe(4);
    for (const [stem, image] of images) expect({ stem, ...image }).toEqual({ stem, ...reference.get(stem)! });
    const status = await queueStatus(connection);
    await connection.quit();
    expect(status.counts).toMatchObject({ completed: 2, failed: 0, waiting: 0, active: 0 });
    // no image was made twice: the shards' runs made 4 between them and skipped none
    const made = status.shards.reduce((n, s) => n + s.result!.kept + s.result!.rejected, 0);
    expect({ made, skipped: status.shards.reduce((n, s) => n + s.result!.skipped, 0) }).toEqual({ made: 4, skipped: 0 });
    expect(status.deadLetter).toEqual([]);
  }, 180_000);

  it('a worker killed mid-shard loses nothing finished; another worker takes the shard up and completes it', async () => {
    const out = join(work, 'killed');
    const connection = redisConnection(redis.url);
    const { jobKey } = await enqueue({ spec: specPath, out, connection, shards: 1, attempts: 2 });
    const logs: string[] = [];
    const doomed = startWorker(['--redis', redis.url, '--lock-ms', '3000'], logs);
    await until(() => finished(out).size >= 1, 150_000, 'the first worker to finish an image');
    process.kill(-doomed.pid!, 'SIGKILL');
    await exited(doomed);
    const beforeKill = finished(out);
    expect(beforeKill.size).toBeLessThan(4);

    const rescuer = startWorker(['--redis', redis.url, '--lock-ms', '3000', '--until-empty'], logs);
    expect(await exited(rescuer)).toBe(0);
    const images = finished(out);
    expect(images.size).toBe(4);
    for (const [stem, image] of beforeKill) expect(images.get(stem)).toEqual(image);
    for (const [stem, image] of images) expect({ stem, ...image }).toEqual({ stem, ...reference.get(stem)! });
    const status = await queueStatus(connection, jobKey);
    await connection.quit();
    expect(status.shards).toHaveLength(1);
    expect(status.shards[0]).toMatchObject({ state: 'completed' });
    expect(status.shards[0].result!.skipped).toBeGreaterThanOrEqual(beforeKill.size);
    expect(logs.join('')).toContain('stalled');
  }, 240_000);
});
