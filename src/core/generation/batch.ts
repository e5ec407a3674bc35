import { StudioError } from '../errors.ts';
import type { Manifest } from '../manifest/types.ts';
import { checkGenerationRequest, type GenerationRequest, type GenerationSettings, type MaskSource } from './request.ts';

/** One entry of a batch's mask list: each is made with every seed of the batch. */
export interface PlannedMask {
  mask?: MaskSource;
  extraMasks?: MaskSource[];
  /** What made the mask on the Masks page, for the provenance. */
  editor?: Record<string, unknown>;
}

/**
 * A generation job: every planned mask with every seed, image `index` being mask
 * floor(index / seeds) with seed index % seeds. The Generate page (seed, seed+1, ...)
 * and `cxr-studio generate` (--masks x --seeds) both number their images this way, so
 * an interrupted job resumes by index.
 */
export interface GenerationBatch {
  settings: GenerationSettings;
  seeds: readonly number[];
  masks: readonly PlannedMask[];
}

/** The page's batch: `count` seeds counting up from `seed`, wrapping at 2^32. */
export function consecutiveSeeds(seed: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (seed + i) >>> 0);
}

export function batchSize(batch: GenerationBatch): number {
  return batch.seeds.length * batch.masks.length;
}

/** The request for image `index` of the batch. */
export function batchRequest(batch: GenerationBatch, index: number): GenerationRequest {
  if (!Number.isInteger(index) || index < 0 || index >= batchSize(batch)) {
    throw new RangeError(`generation batch: image index expected in 0..${batchSize(batch) - 1}, received ${index}`);
  }
  const { mask, extraMasks, editor } = batch.masks[Math.floor(index / batch.seeds.length)];
  return {
    ...batch.settings,
    seed: batch.seeds[index % batch.seeds.length],
    ...(mask ? { mask } : {}),
    ...(mask && extraMasks?.length ? { extraMasks } : {}),
    ...(editor ? { maskEditor: editor } : {}),
  };
}

/** A file stem for an image: the mask's stem (or "nomask") and the seed, as the CLI writes them. */
export function imageStem(request: GenerationRequest): string {
  return `${request.mask ? request.mask.name.replace(/\.[^./]*$/, '') : 'nomask'}-seed${request.seed}`;
}

/**
 * Refuse a batch that cannot run before a model is opened: no seeds or no masks, or any
 * request the pipeline would refuse (each mask is decoded once, with the first seed).
 */
export function checkGenerationBatch(manifest: Manifest, batch: GenerationBatch): void {
  if (batch.seeds.length === 0) throw new StudioError('settings-invalid', 'generate: expected at least one seed, received none');
  if (batch.masks.length === 0) throw new StudioError('settings-invalid', 'generate: expected at least one mask entry (or "no mask"), received none');
  for (let m = 0; m < batch.masks.length; m++) checkGenerationRequest(manifest, batchRequest(batch, m * batch.seeds.length));
  for (const seed of batch.seeds) checkGenerationRequest(manifest, { ...batch.settings, seed });
}

export interface GenerationRunInput<Image> {
  batch: GenerationBatch;
  /** The images to make, in this order; all of them by default. A resumed job passes those not yet done. */
  indices?: readonly number[];
  /** Makes one image: makeImage in the CLI, the diffusion worker's generate on the page. */
  generate: (request: GenerationRequest, index: number) => Promise<Image>;
  /** Called as each image is made, before the next starts, so a host can keep it at once. */
  onImage: (image: Image, index: number, request: GenerationRequest) => void | Promise<void>;
  /** Called before each image starts, with its position among `indices`. */
  onStart?: (position: number, index: number) => void;
  /** Checked before each image: true stops the job with an "aborted" error, keeping what was made. */
  isCancelled?: () => boolean;
}

/**
 * A generation job over an injected image maker, one image after another. An error
 * (or a cancel) ends the job; every image made before it has been handed to `onImage`.
 */
export async function runGenerationBatch<Image>(input: GenerationRunInput<Image>): Promise<number> {
  const { batch, generate, onImage, onStart, isCancelled } = input;
  const indices = input.indices ?? Array.from({ length: batchSize(batch) }, (_, i) => i);
  let made = 0;
  for (const [position, index] of indices.entries()) {
    if (isCancelled?.()) throw new StudioError('aborted', 'cancelled before the next image');
    onStart?.(position, index);
    const request = batchRequest(batch, index);
    await onImage(await generate(request, index), index, request);
    made++;
  }
  return made;
}
