import type { SegmentationSample } from '../../core/experiments/segAugmentExperiment.ts';
import { pairMaskFromPng, realSegPairs, segmentationSample } from '../../core/experiments/segmentationSample.ts';
import type { DroppedFile } from '../../core/data/dropRouting.ts';
import { StudioError } from '../../core/errors.ts';
import { experimentChannel, runSegmentationExperiment } from '../../core/experiments/segmentation.ts';
import { readSegmentationSettings } from '../../core/experiments/settings.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { analysisClient } from '../../workers-client/analysis.ts';
import { withCurationWorker } from '../../workers-client/curation.ts';
import { useCurate } from './curateStore.ts';
import { exportable } from './curation.ts';
import { readLabelledFolder } from './labelledFolder.ts';
import { useSegExperiment, type SegPair, type SegRealSet } from './segExperimentStore.ts';
import { showModelPlacement } from '../models/queries.ts';

async function decoded(image: Blob) {
  const { api } = await analysisClient(useSettings.getState().backend);
  return api.decode(await image.arrayBuffer());
}

/**
 * A real segmentation set chosen as a folder: labels.csv with file, mask and split
 * columns, the train and test rows that have a mask. Every mask is read and checked
 * against its image's size here, so a bad folder is refused whole and the set loaded
 * before stays.
 */
export async function loadSegRealSet(entries: readonly DroppedFile<File>[], segmenterChannels: readonly string[]): Promise<void> {
  const { patch } = useSegExperiment.getState();
  try {
    const folder = await readLabelledFolder(entries);
    const source = `${folder.name}/labels.csv`;
    const splits = { train: realSegPairs(folder.table, 'train', source), test: realSegPairs(folder.table, 'test', source) };
    for (const split of ['train', 'test'] as const) {
      if (splits[split].length === 0) throw new StudioError('labels-invalid', `${source}: no ${split} row with a mask`);
    }
    const file = (path: string) => {
      const found = folder.files.get(path);
      if (!found) throw new StudioError('labels-invalid', `${source} names ${path}, which is not in the folder`);
      return found;
    };
    const total = splits.train.length + splits.test.length;
    const set: SegRealSet = { name: folder.name, train: [], test: [] };
    for (const split of ['train', 'test'] as const) {
      for (const pair of splits[split]) {
        patch({ loading: { done: set.train.length + set.test.length, total } });
        const image = file(pair.image);
        const { width, height } = await decoded(image);
        const mask = pairMaskFromPng(new Uint8Array(await file(pair.mask).arrayBuffer()), { width, height }, pair.mask, pair.image);
        set[split].push({ name: pair.image, image, mask });
      }
    }
    const channel = segmenterChannels.length ? experimentChannel(segmenterChannels, folder.name) : undefined;
    patch({ realSet: set, channel, result: undefined });
  } catch (error) {
    useStatus.getState().showError('Reading the real segmentation set', error);
  } finally {
    patch({ loading: undefined });
  }
}

/** The kept gallery images that were generated with a conditioning mask, in the exported zip's order. */
export function keptSyntheticPairs({ entries, scores, thresholds, reviews } = useCurate.getState()): SegPair[] {
  return exportable(entries, scores, thresholds, reviews).flatMap((e) => (e.mask ? [{ name: `gallery image ${e.id}`, image: e.png, mask: e.mask }] : []));
}

async function segmented(pair: SegPair, channel: string): Promise<SegmentationSample> {
  const { api } = await analysisClient(useSettings.getState().backend);
  const image = await api.decode(await pair.image.arrayBuffer());
  const result = await api.analyze(image, undefined, () => {});
  showModelPlacement(result.models);
  const channels = result.segmentation?.channels ?? [];
  const chosen = channels.find((c) => c.name === channel);
  if (!chosen) throw new StudioError('model-io-mismatch', `the segmenter has no channel ${channel}; it has [${channels.map((c) => c.name).join(', ')}]`);
  return segmentationSample(image, chosen.probabilities, pair.mask, pair.name);
}

let running: AbortController | undefined;

export function cancelSegExperiment(): void {
  running?.abort();
}

/**
 * As `augment-experiment --task segmentation`: the same settings rules and run
 * (src/core/experiments: only the pairs a row can use are segmented, here in the
 * analysis worker), the heads fitted in the curation worker.
 */
export async function runBrowserSegExperiment(): Promise<void> {
  const state = useSegExperiment.getState();
  const { realSet, channel } = state;
  if (!realSet || !channel) return;
  running = new AbortController();
  const { signal } = running;
  const patch = (p: Parameters<typeof state.patch>[0]) => useSegExperiment.getState().patch(p);
  try {
    const settings = readSegmentationSettings({ sizes: state.sizes, ratios: state.ratios, pixelsPerImage: state.pixels, seed: state.seed, C: state.C, bootstrapIterations: state.bootstrap, testLimit: state.testLimit });
    const syntheticPool = keptSyntheticPairs();
    const result = await runSegmentationExperiment({
      settings,
      pools: { real: realSet.train, synthetic: syntheticPool, test: realSet.test },
      segment: (pair) => segmented(pair, channel),
      fit: (setup, onProgress) => withCurationWorker((api) => api.runSegExperiment(setup, onProgress), signal),
      onProgress: (progress) => patch({ progress }),
      isCancelled: () => signal.aborted,
    });
    patch({ result: { ...result, channel, syntheticAvailable: syntheticPool.length } });
  } catch (error) {
    useStatus.getState().showError('Segmentation augmentation experiment', error);
  } finally {
    patch({ progress: undefined });
  }
}
