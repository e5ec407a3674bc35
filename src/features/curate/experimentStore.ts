import { create } from 'zustand';
import type { ExperimentRow, LabelledFeatures } from '../../core/curation/augmentExperiment.ts';

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
  sizes: '50,100,200',
  ratios: '0,0.5,1,2',
  seed: 1,
  C: 1,
  bootstrap: 1000,
  patch: (patch) => set(patch),
}));
