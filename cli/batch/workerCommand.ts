import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { parseNumberOption, UsageError } from '../options.ts';
import { QUEUE_NAME, connectRedis, type ShardJobData } from './queue.ts';
import { deviceOf } from './runCommand.ts';
import type { ShardResult } from './runShard.ts';

export const workerUsage = `batch worker --redis URL [--concurrency N] [--threads N] [--device auto|cpu|cuda]
         [--model-dir public/models/<id>] [--lock-ms 30000] [--until-empty]
  Takes shards from the queue and runs each in a sandboxed child process (up to N at
  once; --threads per child, default cores / N), writing to the job's --out folder.
  A shard that throws is retried (the enqueue's --attempts), then goes to the
  dead-letter list; a worker that dies loses its shard's lock after --lock-ms, and
  another worker takes the shard up again, skipping the images already written.
  --until-empty exits once nothing is waiting, delayed or running.`;

const PROCESSOR = resolve(import.meta.dirname, 'processor.ts');

export async function workerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      redis: { type: 'string' },
      concurrency: { type: 'string', default: '1' },
      threads: { type: 'string' },
      device: { type: 'string' },
      'model-dir': { type: 'string' },
      'lock-ms': { type: 'string', default: '30000' },
      'until-empty': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(workerUsage);
    return 0;
  }
  if (!values.redis || positionals.length > 0) throw new UsageError('batch worker: expected --redis URL and no file arguments');
  const concurrency = parseNumberOption('concurrency', values.concurrency, { integer: true, min: 1 });
  const threads = parseNumberOption('threads', values.threads, { integer: true, min: 1 }) ?? Math.max(1, Math.floor(availableParallelism() / concurrency));
  const lockDuration = parseNumberOption('lock-ms', values['lock-ms'], { integer: true, min: 1000 });
  const device = deviceOf(values.device);
  const connection = await connectRedis(values.redis);
  const log = (line: string) => console.error(`[worker ${process.pid}] ${line}`);

  // The sandboxed children inherit the environment: the models' settings travel there.
  const env = { ...process.env, CXR_BATCH_THREADS: String(threads), CXR_BATCH_DEVICE: device, CXR_BATCH_MODEL_DIR: values['model-dir'] ?? '' };
  const worker = new Worker<ShardJobData, ShardResult>(QUEUE_NAME, PROCESSOR, {
    connection,
    concurrency,
    useWorkerThreads: false,
    workerForkOptions: { env },
    lockDuration,
    stalledInterval: lockDuration,
    // a shard whose worker died goes back to the queue, up to this many times
    maxStalledCount: 3,
  });
  worker.on('completed', (job, result) => log(`${job.name}: done, ${result.kept} kept, ${result.rejected} rejected, ${result.skipped} already there`));
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    log(`${job.name}: attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1} failed (${error.message})${final ? '; moved to the dead-letter list' : '; will retry'}`);
  });
  worker.on('stalled', (id) => log(`shard ${id} stalled (its worker stopped renewing the lock): back on the queue`));
  worker.on('error', (error) => log(`error: ${error.message}`));
  log(`waiting for shards on ${QUEUE_NAME}: concurrency ${concurrency}, ${threads} thread(s) per child, device ${device}`);

  const stopped = new Promise<void>((resolveStop) => {
    const stop = async () => {
      await worker.close();
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (values['until-empty']) {
      const queue = new Queue(QUEUE_NAME, { connection });
      const poll = setInterval(async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(counts).every((n) => n === 0)) {
          clearInterval(poll);
          await queue.close();
          await stop();
        }
      }, 1000);
    }
  });
  await stopped;
  await connection.quit();
  log('stopped');
  return 0;
}
