import { runAugmentExperiment, type ExperimentProgress, type ExperimentRow, type ExperimentSetup } from '../src/core/experiments/augmentExperiment.ts';
import { runSegAugmentExperiment, type SegExperimentResult, type SegExperimentSetup } from '../src/core/experiments/segAugmentExperiment.ts';
import { fid } from '../src/core/metrics/fid.ts';
import { promptDiversity, type PromptDiversity, type PromptImages } from '../src/core/experiments/diversity.ts';
import { decodeRaster } from './kit/decodeRaster.ts';
import { exposeWorker } from './kit/expose.ts';

/**
 * Curation compute that would freeze the page: the augmentation experiments'
 * training (classification and segmentation), FID and MS-SSIM (decoding the PNGs it
 * compares with the kit's decoder). Pure src/core over plain arrays; no models here
 * (features and segmenter outputs come from the analysis worker). Cancel = terminate the worker.
 */
const api = {
  runExperiment: (setup: ExperimentSetup, onProgress: (p: ExperimentProgress) => void): ExperimentRow[] => runAugmentExperiment(setup, onProgress),
  runSegExperiment: (setup: SegExperimentSetup, onProgress: (p: ExperimentProgress) => void): SegExperimentResult => runSegAugmentExperiment(setup, onProgress),
  fid: (real: Float32Array[], synthetic: Float32Array[]): number => fid(real, synthetic),
  /** The PNGs are decoded here, with the kit's decoder, so the page decodes no pixels. */
  diversity: (groups: PromptImages[]): Promise<PromptDiversity[]> => promptDiversity(groups, decodeRaster),
};

export type CurationApi = typeof api;

exposeWorker(api);
