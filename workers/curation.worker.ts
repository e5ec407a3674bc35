import { runAugmentExperiment, type ExperimentProgress, type ExperimentRow, type ExperimentSetup } from '../src/core/experiments/augmentExperiment.ts';
import { runSegAugmentExperiment, type SegExperimentResult, type SegExperimentSetup } from '../src/core/experiments/segAugmentExperiment.ts';
import { fid } from '../src/core/metrics/fid.ts';
import { promptDiversity, type PromptDiversity, type PromptImages } from '../src/core/experiments/diversity.ts';
import type { FileRef, ModelRole } from '../src/core/manifest/types.ts';
import type { LoadProgress } from '../src/contracts/progress.ts';
import { decodeRaster } from './kit/decodeRaster.ts';
import { exposeWorker } from './kit/expose.ts';
import { fetchModelFile } from './runtime/fetchModel.ts';

/** One file for storeModelFiles: its absolute URL, its manifest entry and the role it loads for. */
export interface StoreFile {
  url: string;
  ref: FileRef;
  role: ModelRole;
}

/**
 * Curation compute that would freeze the page: the augmentation experiments'
 * training (classification and segmentation), FID and MS-SSIM (decoding the PNGs it
 * compares with the kit's decoder). Pure src/core over plain arrays; no models run here
 * (features and segmenter outputs come from the analysis worker). Cancel = terminate the worker.
 * Also, for the status bar's "Store all for offline use": a bundle's model files fetched,
 * checked (size, sha256) and kept in the model cache the other workers read, without opening
 * a session, so nothing heavy loads and no backend is needed.
 */
const api = {
  runExperiment: (setup: ExperimentSetup, onProgress: (p: ExperimentProgress) => void): ExperimentRow[] => runAugmentExperiment(setup, onProgress),
  runSegExperiment: (setup: SegExperimentSetup, onProgress: (p: ExperimentProgress) => void): SegExperimentResult => runSegAugmentExperiment(setup, onProgress),
  fid: (real: Float32Array[], synthetic: Float32Array[]): number => fid(real, synthetic),
  /** The PNGs are decoded here, with the kit's decoder, so the page decodes no pixels. */
  diversity: (groups: PromptImages[]): Promise<PromptDiversity[]> => promptDiversity(groups, decodeRaster),
  /** Fetch, verify and cache each file in turn (a cached, verified copy is not fetched again); the first failure stops it. */
  storeModelFiles: async (files: StoreFile[], onProgress: (p: LoadProgress) => void): Promise<void> => {
    for (const { url, ref, role } of files) await fetchModelFile(url, ref, role, onProgress);
  },
};

export type CurationApi = typeof api;

exposeWorker(api);
