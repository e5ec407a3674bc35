import type { Provenance } from '../pipelines/provenance.ts';
import type { BatchJobSpec } from './jobSpec.ts';

/** A generated image as a page holds it: its provenance and the 0/1 conditioning mask it was made with. */
export interface MadeImage {
  provenance: Provenance;
  mask?: Uint8Array;
}

/** What a set of generated images says a batch job should make more of. */
export interface ProvenanceJob {
  /** Images the job covers, and those it leaves out (another bundle, other sampling, or layers besides the lung). */
  used: number;
  leftOut: number;
  prompts: string[];
  negativePrompt?: string;
  /** Distinct conditioning masks (by the provenance's sha256), none for unmasked images. */
  masks: Array<{ raster: Uint8Array; side: number; convention?: string }>;
  settings: BatchJobSpec['settings'];
  /** The lowest seed among the images, where the job's seeds start. */
  seedStart: number;
}

/** The part of an image's recipe a spec holds once for all its images. */
function groupKey(p: Provenance, masked: boolean): string {
  return JSON.stringify([p.model.id, p.steps, p.guidance, p.scheduler, p.unet ?? 'unet', p.negative_prompt?.text ?? '', masked]);
}

/**
 * The job that makes more images like `images`: a spec has one bundle and one sampling
 * (steps, guidance, scheduler, UNet, negative prompt) and either masks or none, so the job
 * follows the largest group of images that share them (the first such group on a tie),
 * with every prompt and mask of that group; null when no image was made with `bundleId`
 * from at most a lung mask.
 */
export function jobFromProvenance(images: readonly MadeImage[], bundleId: string): ProvenanceJob | null {
  const groups = new Map<string, MadeImage[]>();
  for (const image of images) {
    // a page keeps the lung raster only: an image made with more layers (lesion) cannot be made again from it
    if (image.provenance.model.id !== bundleId || image.provenance.mask?.layers.some((l) => l.layer !== 'lung')) continue;
    const key = groupKey(image.provenance, image.mask !== undefined && image.provenance.mask !== null);
    groups.set(key, [...(groups.get(key) ?? []), image]);
  }
  let group: MadeImage[] = [];
  for (const candidate of groups.values()) if (candidate.length > group.length) group = candidate;
  if (group.length === 0) return null;

  const first = group[0].provenance;
  const masks = new Map<string, ProvenanceJob['masks'][number]>();
  for (const { provenance, mask } of group) {
    if (!mask || !provenance.mask || masks.has(provenance.mask.sha256)) continue;
    const convention = provenance.mask.layers.find((l) => l.layer === 'lung')?.convention;
    masks.set(provenance.mask.sha256, { raster: mask, side: Math.round(Math.sqrt(mask.length)), ...(convention ? { convention } : {}) });
  }
  return {
    used: group.length,
    leftOut: images.length - group.length,
    prompts: [...new Set(group.map((i) => i.provenance.prompt))],
    ...(first.negative_prompt ? { negativePrompt: first.negative_prompt.text } : {}),
    masks: [...masks.values()],
    settings: { steps: first.steps, guidance: first.guidance, scheduler: first.scheduler, ...(first.unet === 'unet_guided' ? { unet: first.unet } : {}) },
    seedStart: group.reduce((low, i) => Math.min(low, i.provenance.seed), Infinity),
  };
}
