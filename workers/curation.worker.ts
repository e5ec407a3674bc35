import { runAugmentExperiment, type ExperimentProgress, type ExperimentRow, type ExperimentSetup } from '../src/core/curation/augmentExperiment.ts';
import { runSegAugmentExperiment, type SegExperimentResult, type SegExperimentSetup } from '../src/core/curation/segAugmentExperiment.ts';
import { fid } from '../src/core/metrics/fid.ts';
import { meanPairwiseMsSsim, type Plane } from '../src/core/metrics/msSsim.ts';
import { exposeWorker } from './kit/expose.ts';

/**
 * Curation compute that would freeze the page: the augmentation experiments'
 * training (classification and segmentation), FID and MS-SSIM. Pure src/core over plain arrays; no models here
 * (features and segmenter outputs come from the analysis worker). Cancel = terminate the worker.
 */
const api = {
  runExperiment: (setup: ExperimentSetup, onProgress: (p: ExperimentProgress) => void): ExperimentRow[] => runAugmentExperiment(setup, onProgress),
  runSegExperiment: (setup: SegExperimentSetup, onProgress: (p: ExperimentProgress) => void): SegExperimentResult => runSegAugmentExperiment(setup, onProgress),
  fid: (real: Float32Array[], synthetic: Float32Array[]): number => fid(real, synthetic),
  diversity: (groups: { key: string; planes: Plane[] }[]): { key: string; images: number; meanMsSsim: number }[] =>
    groups.map(({ key, planes }) => ({ key, images: planes.length, meanMsSsim: meanPairwiseMsSsim(planes) })),
};

export type CurationApi = typeof api;

exposeWorker(api);
