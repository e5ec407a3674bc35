import type { BatchJobSpec } from './jobSpec.ts';
import type { SeedRange } from './shards.ts';

/** One image of a batch job: which prompt, which mask (and variant), which seed. */
export interface WorkItem {
  /** File stem, unique within the job and the same on every machine: p1-m2v3-seed17. */
  stem: string;
  promptIndex: number;
  /** Index into spec.masks, or null for the "no mask" state. */
  maskIndex: number | null;
  /** Index into the variant recipe's transforms, or null for the mask as it is. */
  variantIndex: number | null;
  seed: number;
}

/**
 * The images of `seeds` in the job's order: prompt, then mask (then variant), then
 * seed. Names carry indices only, so a mask file name (which may hold a patient ID)
 * never becomes an output file name.
 */
export function workItems(spec: BatchJobSpec, seeds: SeedRange = spec.seeds): WorkItem[] {
  const maskChoices: Array<{ maskIndex: number | null; variantIndex: number | null; label: string }> = [];
  if (spec.masks.length === 0) maskChoices.push({ maskIndex: null, variantIndex: null, label: 'nomask' });
  spec.masks.forEach((_, m) => {
    if (!spec.variants) maskChoices.push({ maskIndex: m, variantIndex: null, label: `m${m + 1}` });
    else for (let v = 0; v < spec.variants.count; v++) maskChoices.push({ maskIndex: m, variantIndex: v, label: `m${m + 1}v${v + 1}` });
  });
  const items: WorkItem[] = [];
  spec.prompts.forEach((_, p) => {
    for (const mask of maskChoices) {
      for (let seed = seeds.start; seed < seeds.start + seeds.count; seed++) {
        items.push({ stem: `p${p + 1}-${mask.label}-seed${seed}`, promptIndex: p, maskIndex: mask.maskIndex, variantIndex: mask.variantIndex, seed });
      }
    }
  });
  return items;
}

/** Images per seed: prompts x masks (x variants). */
export function imagesPerSeed(spec: BatchJobSpec): number {
  const masks = spec.masks.length === 0 ? 1 : spec.masks.length * (spec.variants?.count ?? 1);
  return spec.prompts.length * masks;
}
