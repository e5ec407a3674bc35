import type { GenerateJob, MaskSource } from '../../contracts/generation.ts';

/** One entry of a batch's mask list: each is made with every seed of the batch. */
export interface PlannedMask {
  mask?: MaskSource;
  extraMasks?: MaskSource[];
  /** What made the mask on the Masks page, for the provenance. */
  editor?: Record<string, unknown>;
}

/**
 * A batch as it is kept while it runs (src/storage/resumableJobs.ts): enough to
 * make its remaining images later with the same seeds and masks, whatever the
 * form says by then.
 */
export interface BatchPlan {
  id: string;
  bundle: string;
  createdAt: number;
  settings: Pick<GenerateJob, 'prompt' | 'negativePrompt' | 'steps' | 'guidance' | 'scheduler'> & { seed: number; batchSize: number };
  masks: PlannedMask[];
  /** Indices (0 .. batchSize * masks - 1) whose images are in the gallery. */
  done: number[];
  /** Why it stopped, when the page saw it stop (absent: the page was closed or reloaded). */
  stopped?: { title: string; detail: string };
}

export function planSize(plan: BatchPlan): number {
  return plan.settings.batchSize * plan.masks.length;
}

/** The indices still to make, in order. */
export function remaining(plan: BatchPlan): number[] {
  const done = new Set(plan.done);
  return Array.from({ length: planSize(plan) }, (_, i) => i).filter((i) => !done.has(i));
}

/** Image `index` of the batch: mask index / batch size, seed + index % batch size (as before resume existed). */
export function jobAt(plan: BatchPlan, index: number): { job: GenerateJob; editor?: Record<string, unknown> } {
  const { seed, batchSize, ...settings } = plan.settings;
  const { mask, extraMasks, editor } = plan.masks[Math.floor(index / batchSize)];
  const job: GenerateJob = { ...settings, seed: (seed + (index % batchSize)) >>> 0, ...(mask ? { mask } : {}), ...(extraMasks ? { extraMasks } : {}) };
  return { job, ...(editor ? { editor } : {}) };
}
