import { batchSize, consecutiveSeeds, type GenerationBatch, type GenerationSettings, type PlannedMask } from '../../core/generation/index.ts';

/**
 * A batch as it is kept while it runs (src/storage/resumableJobs.ts): enough to
 * make its remaining images later with the same seeds and masks, whatever the
 * form says by then. Stored as the form had it (a first seed and a count), so
 * batches saved before the generation module existed still resume.
 */
export interface BatchPlan {
  id: string;
  bundle: string;
  createdAt: number;
  settings: GenerationSettings & { seed: number; batchSize: number };
  masks: PlannedMask[];
  /** Indices (0 .. batchSize * masks - 1) whose images are in the gallery. */
  done: number[];
  /** Why it stopped, when the page saw it stop (absent: the page was closed or reloaded). */
  stopped?: { title: string; detail: string };
}

/** The plan as the generation module's job: seeds seed, seed+1, ... (wrapping at 2^32) for each mask. */
export function generationBatch(plan: BatchPlan): GenerationBatch {
  const { seed, batchSize: count, ...settings } = plan.settings;
  return { settings, seeds: consecutiveSeeds(seed, count), masks: plan.masks };
}

export function planSize(plan: BatchPlan): number {
  return batchSize(generationBatch(plan));
}

/** The indices still to make, in order. */
export function remaining(plan: BatchPlan): number[] {
  const done = new Set(plan.done);
  return Array.from({ length: planSize(plan) }, (_, i) => i).filter((i) => !done.has(i));
}
