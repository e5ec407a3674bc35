import type { Provenance } from '../core/pipelines/provenance.ts';
import type { SchedulerName } from '../core/schedulers/types.ts';

export interface GeneratorInfo {
  bundle: string;
  /** Where each model really runs, e.g. "text_encoder webgpu, unet wasm, vae_decoder webgpu". */
  engine: string;
  /** One line per model that did not run as asked (variant or provider fallback). */
  notes: string[];
}

/** A mask as the user gave it: the PNG's own bytes, so its hash names the file. */
export interface MaskSource {
  name: string;
  bytes: Uint8Array;
  layer: string;
  convention?: string;
}

/** One image for the diffusion worker to make. */
export interface GenerateJob {
  prompt: string;
  /** Empty or absent: the unconditional pass is all padding. */
  negativePrompt?: string;
  seed: number;
  steps: number;
  guidance: number;
  scheduler: SchedulerName;
  mask?: MaskSource;
  /** Further layers given with `mask` (e.g. a lesion drawn on the Masks page). */
  extraMasks?: MaskSource[];
}

export interface GeneratedImage {
  png: Uint8Array;
  side: number;
  /** The 0/1 conditioning mask at model resolution, for the outline overlay. */
  mask?: Uint8Array;
  provenance: Provenance;
}
