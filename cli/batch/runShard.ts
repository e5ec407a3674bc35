import { proxyKeeps } from '../../src/core/curation/proxyFilter.ts';
import { scoreAnalysis } from '../../src/core/curation/proxyScore.ts';
import type { ExportItem } from '../../src/core/curation/datasetExport.ts';
import { shardSeeds, type Shard } from '../../src/core/batch/shards.ts';
import { workItems, type WorkItem } from '../../src/core/batch/workItems.ts';
import { decodeImage } from '../../src/core/image/decode.ts';
import { analyzeImage } from '../../src/core/pipelines/analyze.ts';
import { makeImage, type GenerationRequest } from '../../src/core/generation/index.ts';
import { itemMask, type LoadedJob } from './jobFiles.ts';
import type { BatchModels } from './models.ts';
import { isFinished, writeImage, writeLabels } from './outputFolder.ts';

export interface ShardProgress {
  /** Images of the shard finished so far, including those found finished before this run. */
  done: number;
  total: number;
  kept: number;
  rejected: number;
  skipped: number;
}

export interface ShardResult extends ShardProgress {
  seeds: { start: number; count: number };
  elapsedMs: number;
}

/**
 * Makes one image with the generation job (src/core/generation, as `generate` and the
 * Generate page make it), then scores it from its 8-bit PNG as the Curate page does and
 * applies the spec's proxy filter.
 */
async function makeFilteredImage(job: LoadedJob, models: BatchModels, item: WorkItem): Promise<{ entry: ExportItem; kept: boolean }> {
  const { spec } = job;
  const mask = itemMask(job, item, models.generator.manifest);
  const request: GenerationRequest = {
    prompt: spec.prompts[item.promptIndex],
    ...(spec.negativePrompt ? { negativePrompt: spec.negativePrompt } : {}),
    ...spec.settings,
    seed: item.seed,
    ...(mask ? { mask: mask.source } : {}),
    ...(mask?.extraMasks.length ? { extraMasks: mask.extraMasks } : {}),
    ...(mask?.editor ? { maskEditor: mask.editor } : {}),
  };
  const image = await makeImage(models.generator, request);

  const analysis = await analyzeImage(await decodeImage(image.png), models.proxy);
  const score = scoreAnalysis(analysis, { prompt: request.prompt, conditioningMask: image.mask ?? null, convention: mask?.source.convention });
  const entry: ExportItem = { id: item.stem, png: image.png, side: image.side, ...(image.mask ? { mask: image.mask } : {}), provenance: image.provenance, proxy: { ...score, judge: { classifier: models.generator.manifest.id, segmenter: models.generator.manifest.id } }, reviews: [] };
  return { entry, kept: proxyKeeps(score, spec.filter) };
}

/**
 * One shard of a job (its seeds, every prompt and mask) into `out`: images already
 * finished there are skipped, so a rerun after a kill redoes only the image that was in
 * flight. Ends by rewriting labels.csv from every finished image in the folder.
 */
export async function runShard(
  job: LoadedJob,
  models: BatchModels,
  opts: { out: string; shard: Shard; onProgress?: (p: ShardProgress, line: string) => void | Promise<void> },
): Promise<ShardResult> {
  const started = performance.now();
  const seeds = shardSeeds(job.spec.seeds, opts.shard);
  const items = workItems(job.spec, seeds);
  const progress: ShardProgress = { done: 0, total: items.length, kept: 0, rejected: 0, skipped: 0 };
  for (const item of items) {
    if (isFinished(opts.out, item.stem)) {
      progress.skipped++;
      progress.done++;
      continue;
    }
    const t0 = performance.now();
    const { entry, kept } = await makeFilteredImage(job, models, item);
    writeImage(opts.out, entry, item.stem, kept);
    progress.done++;
    progress[kept ? 'kept' : 'rejected']++;
    const p = entry.proxy!;
    const scores = `p(${p.findingClass ?? '-'})=${p.findingProbability?.toFixed(3) ?? '-'} dice=${p.maskDice?.toFixed(3) ?? '-'}`;
    await opts.onProgress?.({ ...progress }, `${item.stem}: ${kept ? 'kept' : 'rejected'} (${scores}, ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  }
  writeLabels(opts.out);
  return { ...progress, seeds, elapsedMs: performance.now() - started };
}

/** The result of a shard whose images are all in `out` already, without opening a model. */
export function finishedShard(job: LoadedJob, out: string, shard: Shard): ShardResult {
  const seeds = shardSeeds(job.spec.seeds, shard);
  const total = workItems(job.spec, seeds).length;
  writeLabels(out);
  return { done: total, total, kept: 0, rejected: 0, skipped: total, seeds, elapsedMs: 0 };
}
