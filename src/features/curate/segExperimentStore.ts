import { create } from 'zustand';
import { SEGMENTATION_DEFAULTS } from '../../core/experiments/settings.ts';
import type { SegExperimentResult } from '../../core/experiments/segAugmentExperiment.ts';

/** An (image, mask) pair before segmentation; the mask is 0/1 and already of the image's size. */
export interface SegPair {
  name: string;
  image: Blob;
  mask: Uint8Array;
}

/** A real set read from a folder with labels.csv (file, mask, split): the train and test pairs with a mask. */
export interface SegRealSet {
  name: string;
  train: SegPair[];
  test: SegPair[];
}

export interface SegExperimentOutcome extends SegExperimentResult {
  channel: string;
  counts: { real: number; synthetic: number; test: number };
  syntheticAvailable: number;
}

/** Settings default to the CLI's (`augment-experiment --task segmentation`). */
interface SegExperimentState {
  realSet?: SegRealSet;
  /** The segmenter channel scored; set from the folder's name when a set is read, as the CLI does. */
  channel?: string;
  loading?: { done: number; total: number };
  sizes: string;
  ratios: string;
  pixels: number;
  seed: number;
  C: number;
  bootstrap: number;
  /** First N test pairs only; blank = all. */
  testLimit: string;
  progress?: { stage: 'segment' | 'fit'; done: number; total: number };
  result?: SegExperimentOutcome;
  patch(patch: Partial<Omit<SegExperimentState, 'patch'>>): void;
}

export const useSegExperiment = create<SegExperimentState>()((set) => ({
  sizes: SEGMENTATION_DEFAULTS.sizes.join(','),
  ratios: SEGMENTATION_DEFAULTS.ratios.join(','),
  pixels: SEGMENTATION_DEFAULTS.pixelsPerImage,
  seed: SEGMENTATION_DEFAULTS.seed,
  C: SEGMENTATION_DEFAULTS.C,
  bootstrap: SEGMENTATION_DEFAULTS.bootstrapIterations,
  testLimit: '',
  patch: (patch) => set(patch),
}));
