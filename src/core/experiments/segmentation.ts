import { maskChannelFor } from '../curation/proxyScore.ts';
import { drawSegExperimentPairs, runSegAugmentExperiment, type SegExperimentResult, type SegExperimentSetup, type SegmentationSample } from './segAugmentExperiment.ts';
import { StudioError } from '../errors.ts';
import type { SegmentationExperimentSettings } from './settings.ts';

/**
 * The segmenter channel scored: the one asked for, else lung_shenzhen for a real set
 * whose folder is named *shenzhen* (its masks follow that convention), else lung.
 */
export function experimentChannel(channels: readonly string[], realSetName: string, asked?: string): string {
  const channel = asked ?? maskChannelFor(/shenzhen/i.test(realSetName) ? 'shenzhen' : undefined, channels);
  if (!channels.includes(channel)) throw new StudioError('settings-invalid', `channel ${channel}: the segmenter has channels [${channels.join(', ')}]`);
  return channel;
}

export interface SegmentationExperimentInput<P> {
  settings: SegmentationExperimentSettings;
  /** Real training, synthetic and test (image, mask) pairs, as the host holds them (paths, Blobs). */
  pools: { real: readonly P[]; synthetic: readonly P[]; test: readonly P[] };
  /** The frozen segmenter on one pair (segmentationSample.ts): onnxruntime-node in the CLI, the analysis worker on the page. */
  segment: (pair: P) => Promise<SegmentationSample>;
  /** Fits the heads: runSegAugmentExperiment here by default; the page runs it in the curation worker. */
  fit?: (setup: SegExperimentSetup, onProgress: (p: { done: number; total: number }) => void) => Promise<SegExperimentResult>;
  onProgress?: (p: { stage: 'segment' | 'fit'; done: number; total: number }) => void;
  /** Checked between images. */
  isCancelled?: () => boolean;
}

export interface SegmentationExperimentOutput extends SegExperimentResult {
  /** Pairs drawn (and segmented) from each pool. */
  counts: { real: number; synthetic: number; test: number };
}

/**
 * The segmentation augmentation experiment, the same for the Curate page and
 * `augment-experiment --task segmentation`:
 *   1. draw the pairs the rows can use (a seeded prefix of each pool),
 *   2. segment only those, one at a time (injected),
 *   3. fit and score the per-pixel heads row by row (segAugmentExperiment.ts).
 */
export async function runSegmentationExperiment<P>(input: SegmentationExperimentInput<P>): Promise<SegmentationExperimentOutput> {
  const { settings, pools, segment, onProgress = () => {}, isCancelled } = input;
  const fit = input.fit ?? (async (setup, progress) => runSegAugmentExperiment(setup, progress));
  for (const pool of ['real', 'test'] as const) {
    if (pools[pool].length === 0) throw new StudioError('labels-invalid', `the real set has no ${pool === 'real' ? 'train' : 'test'} pair with a mask`);
  }

  // 1. The pairs the rows can use
  const draw = drawSegExperimentPairs(pools, settings);

  // 2. Frozen segmenter outputs of the drawn pairs
  const pairs = [...draw.real, ...draw.synthetic, ...draw.test];
  const samples: SegmentationSample[] = [];
  for (const pair of pairs) {
    onProgress({ stage: 'segment', done: samples.length, total: pairs.length });
    if (isCancelled?.()) throw new StudioError('aborted', 'cancelled by the user');
    samples.push(await segment(pair));
  }
  const real = samples.slice(0, draw.real.length);
  const synthetic = samples.slice(draw.real.length, draw.real.length + draw.synthetic.length);
  const test = samples.slice(draw.real.length + draw.synthetic.length);

  // 3. The heads, row by row
  const { sizes, ratios, seed, pixelsPerImage, C, bootstrapIterations } = settings;
  onProgress({ stage: 'fit', done: 0, total: sizes.length * ratios.length });
  const result = await fit({ real, synthetic, test, sizes, ratios, seed, pixelsPerImage, C, bootstrapIterations }, (p) => onProgress({ stage: 'fit', ...p }));
  return { ...result, counts: { real: real.length, synthetic: synthetic.length, test: test.length } };
}
