import { create } from 'zustand';
import type { ExperimentRow, LabelledFeatures } from '../../core/experiments/augmentExperiment.ts';
import { CLASSIFICATION_DEFAULTS } from '../../core/experiments/settings.ts';

/** A real labelled set read from a folder with labels.csv, as classifier features. */
export interface RealSet {
  name: string;
  classes: string[];
  train: LabelledFeatures;
  test: LabelledFeatures;
}

export type ExperimentTask = 'classification' | 'segmentation';

interface ExperimentState {
  task: ExperimentTask;
  realSet?: RealSet;
  loading?: { done: number; total: number };
  sizes: string;
  ratios: string;
  seed: number;
  C: number;
  bootstrap: number;
  progress?: { done: number; total: number };
  rows?: ExperimentRow[];
  syntheticUsed?: number;
  fid?: number;
  diversity?: { key: string; images: number; meanMsSsim: number }[];
  busy?: string;
  patch(patch: Partial<Omit<ExperimentState, 'patch'>>): void;
}

export const useExperiment = create<ExperimentState>()((set) => ({
  task: 'classification',
  sizes: CLASSIFICATION_DEFAULTS.sizes.join(','),
  ratios: CLASSIFICATION_DEFAULTS.ratios.join(','),
  seed: CLASSIFICATION_DEFAULTS.seed,
  C: CLASSIFICATION_DEFAULTS.C,
  bootstrap: CLASSIFICATION_DEFAULTS.bootstrapIterations,
  patch: (patch) => set(patch),
}));
