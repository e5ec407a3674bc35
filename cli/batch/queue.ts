import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { planShards, type Shard } from '../../src/core/batch/shards.ts';
import { UsageError } from '../options.ts';
import { readJobSpec } from './jobFiles.ts';
import type { ShardResult } from './runShard.ts';

/** One BullMQ queue for every batch job; a job's shards are its entries. */
export const QUEUE_NAME = 'cxr-studio-batch';

/** What a queued shard carries: paths on a folder every worker sees (a shared or mounted volume). */
export interface ShardJobData {
  spec: string;
  out: string;
  shard: Shard;
  /** Short hash of spec + out: names the job's entries, so enqueueing twice adds nothing. */
  jobKey: string;
}

export function redisConnection(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new UsageError(`--redis: expected a URL like redis://127.0.0.1:6379, received "${url}"`);
  // BullMQ's workers block on Redis and need maxRetriesPerRequest null
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** A connection that answered, or a clear error after `timeoutMs` instead of ioredis retrying forever. */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const connection = redisConnection(url);
  let lastError = '';
  connection.on('error', (error: Error) => {
    lastError = error.message;
  });
  const ready = new Promise<void>((resolveReady) => connection.once('ready', () => resolveReady()));
  const timeout = new Promise<'timeout'>((resolveTimeout) => setTimeout(() => resolveTimeout('timeout'), timeoutMs).unref());
  if ((await Promise.race([ready, timeout])) === 'timeout') {
    connection.disconnect();
    throw new Error(`no Redis answered at ${url} within ${timeoutMs / 1000} s${lastError ? ` (${lastError})` : ''}; start one (redis-server) or fix --redis`);
  }
  return connection;
}

export function jobKeyOf(specPath: string, out: string): string {
  return createHash('sha256').update(readFileSync(specPath)).update('\0').update(resolve(out)).digest('hex').slice(0, 12);
}

export interface EnqueueOptions {
  spec: string;
  out: string;
  connection: ConnectionOptions;
  /** Shards to split the seed range into (no more than the seeds); default one per 8 seeds, at most 64. */
  shards?: number;
  /** Tries per shard before it goes to the dead-letter list (BullMQ's failed set). */
  attempts: number;
}

/** Splits the job into shards on the queue; an entry already there (same spec and out) is left as it is. */
export async function enqueue(opts: EnqueueOptions): Promise<{ jobKey: string; shards: Shard[] }> {
  const spec = readJobSpec(opts.spec);
  const specPath = resolve(opts.spec);
  const out = resolve(opts.out);
  const jobKey = jobKeyOf(specPath, out);
  const shards = planShards(spec.seeds, opts.shards ?? Math.min(64, Math.ceil(spec.seeds.count / 8)));
  const queue = new Queue<ShardJobData>(QUEUE_NAME, { connection: opts.connection });
  try {
    const jobOpts: JobsOptions = { attempts: opts.attempts, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false, removeOnFail: false };
    await queue.addBulk(shards.map((shard) => ({
      name: `${jobKey} shard ${shard.index}/${shard.count}`,
      data: { spec: specPath, out, shard, jobKey },
      opts: { ...jobOpts, jobId: `${jobKey}-${shard.index}-of-${shard.count}` },
    })));
  } finally {
    await queue.close();
  }
  return { jobKey, shards };
}

export interface ShardStatus {
  id: string;
  name: string;
  state: string;
  progress: unknown;
  attemptsMade: number;
  failedReason?: string;
  /** What the shard's last run returned (images made, kept, rejected, skipped), once completed. */
  result?: ShardResult;
  /** When a worker last took it up and when it finished (ms since the epoch). */
  processedOn?: number;
  finishedOn?: number;
}

export interface QueueStatus {
  counts: Record<string, number>;
  shards: ShardStatus[];
  /** Shards that failed on every attempt (BullMQ's failed set), with why. */
  deadLetter: ShardStatus[];
}

/** Counts per state and every shard's state and progress (of one job when `jobKey` is given). */
export async function queueStatus(connection: ConnectionOptions, jobKey?: string): Promise<QueueStatus> {
  const queue = new Queue<ShardJobData, ShardResult>(QUEUE_NAME, { connection });
  try {
    const states = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
    const jobs = (await queue.getJobs([...states], 0, -1, true)).filter((job) => job && (!jobKey || job.data.jobKey === jobKey));
    const shards = await Promise.all(jobs.map(async (job) => ({
      id: job.id!,
      name: job.name,
      state: await job.getState(),
      progress: job.progress,
      attemptsMade: job.attemptsMade,
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      ...(job.returnvalue ? { result: job.returnvalue } : {}),
      ...(job.processedOn ? { processedOn: job.processedOn } : {}),
      ...(job.finishedOn ? { finishedOn: job.finishedOn } : {}),
    })));
    shards.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    const counts: Record<string, number> = Object.fromEntries(states.map((s) => [s, 0]));
    for (const shard of shards) counts[shard.state] = (counts[shard.state] ?? 0) + 1;
    return { counts, shards, deadLetter: shards.filter((s) => s.state === 'failed') };
  } finally {
    await queue.close();
  }
}
