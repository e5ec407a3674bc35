import { parseArgs } from 'node:util';
import { parseNumberOption, UsageError } from '../options.ts';
import { connectRedis, enqueue, queueStatus } from './queue.ts';

export const enqueueUsage = `batch enqueue SPEC.json --out DIR --redis URL [--shards N] [--attempts 3]
  Splits the job's seed range into N shards (default: one per 8 seeds, at most 64) on the
  queue, for workers that see SPEC.json and DIR at the same paths. Enqueueing the same
  spec and DIR again adds nothing; a finished image in DIR is never made twice.`;

export const statusUsage = `batch status --redis URL [--job KEY] [--json]
  Shards per state, each shard's progress (images done / total, kept, rejected), and the
  dead-letter list: shards that failed on every attempt, with the last error.`;

export async function enqueueCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      redis: { type: 'string' },
      shards: { type: 'string' },
      attempts: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(enqueueUsage);
    return 0;
  }
  if (positionals.length !== 1 || !values.out || !values.redis) throw new UsageError('batch enqueue: expected one SPEC.json, --out DIR and --redis URL');
  const connection = await connectRedis(values.redis);
  try {
    const { jobKey, shards: planned } = await enqueue({
      spec: positionals[0],
      out: values.out,
      connection,
      shards: parseNumberOption('shards', values.shards, { integer: true, min: 1 }),
      attempts: parseNumberOption('attempts', values.attempts, { integer: true, min: 1 }),
    });
    console.log(`job ${jobKey}: ${planned.length} shard(s) on the queue; cxr-studio batch status --redis ${values.redis} --job ${jobKey}`);
  } finally {
    await connection.quit();
  }
  return 0;
}

function formatProgress(progress: unknown): string {
  const p = progress as { done?: number; total?: number; kept?: number; rejected?: number };
  return typeof p === 'object' && p && p.total !== undefined ? `${p.done}/${p.total} images (${p.kept} kept, ${p.rejected} rejected this attempt)` : '-';
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      redis: { type: 'string' },
      job: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(statusUsage);
    return 0;
  }
  if (!values.redis) throw new UsageError('batch status: expected --redis URL');
  const connection = await connectRedis(values.redis);
  try {
    const status = await queueStatus(connection, values.job);
    if (values.json) {
      console.log(JSON.stringify(status, null, 2));
      return 0;
    }
    console.log(Object.entries(status.counts).map(([state, n]) => `${state} ${n}`).join(', '));
    for (const shard of status.shards) console.log(`  ${shard.name}: ${shard.state}, ${formatProgress(shard.progress)}, attempts ${shard.attemptsMade}`);
    console.log(status.deadLetter.length === 0 ? 'dead-letter list: empty' : `dead-letter list (${status.deadLetter.length}):`);
    for (const shard of status.deadLetter) console.log(`  ${shard.name} after ${shard.attemptsMade} attempt(s): ${shard.failedReason}`);
  } finally {
    await connection.quit();
  }
  return 0;
}
