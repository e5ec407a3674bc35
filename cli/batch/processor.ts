/**
 * BullMQ's sandboxed processor for a batch shard: it runs in a child process the
 * worker forks, so onnxruntime-node's blocking `run` never stalls the worker's event
 * loop (which must keep renewing the shard's lock). The child keeps its models open
 * between shards; settings come from the worker through the environment.
 */
import type { SandboxedJob } from 'bullmq';
import { bundleForSpec, loadJob, readJobSpec } from './jobFiles.ts';
import { openBatchModels, type BatchModels, type DeviceChoice } from './models.ts';
import type { ShardJobData } from './queue.ts';
import { runShard, type ShardResult } from './runShard.ts';

const opened = new Map<string, Promise<BatchModels>>();

function modelsFor(dir: string, manifest: Parameters<typeof openBatchModels>[1], log: (line: string) => void): Promise<BatchModels> {
  let models = opened.get(dir);
  if (!models) {
    const threads = process.env.CXR_BATCH_THREADS ? Number(process.env.CXR_BATCH_THREADS) : undefined;
    const device = (process.env.CXR_BATCH_DEVICE ?? 'auto') as DeviceChoice;
    models = openBatchModels(dir, manifest, { threads, device, log });
    models.catch(() => opened.delete(dir));
    opened.set(dir, models);
  }
  return models;
}

export default async function processShard(job: SandboxedJob<ShardJobData, ShardResult>): Promise<ShardResult> {
  const { spec: specPath, out, shard } = job.data;
  const log = (line: string) => console.error(`[pid ${process.pid}] ${job.data.jobKey} ${shard.index}/${shard.count} ${line}`);
  const spec = readJobSpec(specPath);
  const { dir, manifest } = await bundleForSpec(spec, process.env.CXR_BATCH_MODEL_DIR || undefined);
  const loaded = await loadJob(specPath, manifest);
  const models = await modelsFor(dir, manifest, log);
  const result = await runShard(loaded, models, {
    out,
    shard,
    onProgress: async (p, line) => {
      log(line);
      await job.updateProgress({ ...p });
    },
  });
  log(`done: ${result.kept} kept, ${result.rejected} rejected, ${result.skipped} already done, ${(result.elapsedMs / 1000).toFixed(1)} s`);
  return result;
}
