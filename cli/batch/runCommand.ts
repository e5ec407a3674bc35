import { parseArgs } from 'node:util';
import { parseShard, shardSeeds, type Shard } from '../../src/core/batch/shards.ts';
import { workItems } from '../../src/core/batch/workItems.ts';
import { parseNumberOption, UsageError } from '../options.ts';
import { bundleForSpec, loadJob, readJobSpec } from './jobFiles.ts';
import { DEVICE_CHOICES, openBatchModels, type DeviceChoice } from './models.ts';
import { isFinished } from './outputFolder.ts';
import { finishedShard, runShard, type ShardResult } from './runShard.ts';

export const runUsage = `batch run SPEC.json --out DIR [--shard i/n | --shards n] [--device auto|cpu|cuda]
         [--model-dir public/models/<id>] [--threads N]
  Runs a batch job (the studio's "Export as batch job") on this machine: every prompt x
  mask (x variant) x seed of the spec, scored by the proxy models and filtered by the
  spec's thresholds, into DIR in the Curate page's zip layout (kept images in images/,
  masks/, provenance/, labels.csv; the rest under rejected/). Images already in DIR are
  skipped, so a rerun resumes. --shard i/n runs seed slice i (0-based) of n; with
  --shards n the index comes from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).
  --device auto uses onnxruntime-node's CUDA provider when installed, else the CPU.`;

export interface RunOptions {
  spec: string;
  out: string;
  shard: Shard;
  device: DeviceChoice;
  modelDir?: string;
  threads?: number;
  log: (line: string) => void;
}

/** The shard to run: --shard, else JOB_COMPLETION_INDEX of --shards, else the whole job. */
export function shardOf(values: { shard?: string; shards?: string }, env: NodeJS.ProcessEnv): Shard {
  if (values.shard !== undefined && values.shards !== undefined) throw new UsageError('give --shard i/n or --shards n (with JOB_COMPLETION_INDEX), not both');
  if (values.shard !== undefined) return parseShard(values.shard);
  if (values.shards === undefined) return { index: 0, count: 1 };
  const count = parseNumberOption('shards', values.shards, { integer: true, min: 1 });
  const index = env.JOB_COMPLETION_INDEX;
  if (index === undefined) throw new UsageError('--shards n takes the shard index from JOB_COMPLETION_INDEX, which is not set (give --shard i/n instead)');
  return parseShard(`${index}/${count}`);
}

export function deviceOf(text: string | undefined): DeviceChoice {
  const device = (text ?? 'auto') as DeviceChoice;
  if (!DEVICE_CHOICES.includes(device)) throw new UsageError(`--device: expected one of [${DEVICE_CHOICES.join(', ')}], received "${text}"`);
  return device;
}

export async function runBatch(opts: RunOptions): Promise<ShardResult> {
  // 1. Check the spec, its bundle and its masks before opening a session
  const spec = readJobSpec(opts.spec);
  const { dir, manifest } = await bundleForSpec(spec, opts.modelDir);
  const job = await loadJob(opts.spec, manifest);
  const pending = workItems(spec, shardSeeds(spec.seeds, opts.shard)).filter((item) => !isFinished(opts.out, item.stem));
  if (pending.length === 0) opts.log(`shard ${opts.shard.index}/${opts.shard.count}: every image is already in ${opts.out}`);
  // 2. Open the models (unless nothing is left), run the shard's images, release
  if (pending.length === 0) return finishedShard(job, opts.out, opts.shard);
  const models = await openBatchModels(dir, manifest, { threads: opts.threads, device: opts.device, log: opts.log });
  try {
    const result = await runShard(job, models, { out: opts.out, shard: opts.shard, onProgress: (p, line) => opts.log(`[${p.done}/${p.total}] ${line}`) });
    opts.log(`shard ${opts.shard.index}/${opts.shard.count} (seeds ${result.seeds.start}..${result.seeds.start + result.seeds.count - 1}): ${result.total} image(s), ${result.skipped} already done, ${result.kept} kept, ${result.rejected} rejected, ${(result.elapsedMs / 1000).toFixed(1)} s`);
    return result;
  } finally {
    await models.release();
  }
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      shard: { type: 'string' },
      shards: { type: 'string' },
      device: { type: 'string' },
      'model-dir': { type: 'string' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(runUsage);
    return 0;
  }
  if (positionals.length !== 1 || !values.out) throw new UsageError(`batch run: expected one SPEC.json and --out DIR, received ${positionals.length} file(s)${values.out ? '' : ' and no --out'}`);
  const shard = shardOf(values, process.env);
  const result = await runBatch({
    spec: positionals[0],
    out: values.out,
    shard,
    device: deviceOf(values.device),
    modelDir: values['model-dir'],
    threads: parseNumberOption('threads', values.threads, { integer: true, min: 1 }),
    log: (line) => console.error(line),
  });
  console.log(`${values.out}: shard ${shard.index}/${shard.count} done, ${result.kept} kept, ${result.rejected} rejected (${workItems(readJobSpec(positionals[0])).length} image(s) in the whole job)`);
  return 0;
}
