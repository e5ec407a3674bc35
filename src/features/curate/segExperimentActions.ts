import { maskChannelFor } from '../../core/curation/proxyScore.ts';
import { drawSegExperimentPairs, type SegmentationSample } from '../../core/curation/segAugmentExperiment.ts';
import { pairMaskFromPng, realSegPairs, segmentationSample } from '../../core/curation/segmentationSample.ts';
import { StudioError } from '../../core/errors.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { analysisClient } from '../../workers-client/analysis.ts';
import { withCurationWorker } from '../../workers-client/curation.ts';
import { useCurate } from './curateStore.ts';
import { exportable } from './curation.ts';
import { numberList } from './experimentActions.ts';
import { readLabelledFolder } from './labelledFolder.ts';
import { useSegExperiment, type SegPair, type SegRealSet } from './segExperimentStore.ts';

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
export async function loadSegRealSet(picked: FileList, segmenterChannels: readonly string[]): Promise<void> {
  const { patch } = useSegExperiment.getState();
  try {
    const folder = await readLabelledFolder(picked);
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
    const channel = segmenterChannels.length ? maskChannelFor(/shenzhen/i.test(folder.name) ? 'shenzhen' : undefined, segmenterChannels) : undefined;
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
 * As `augment-experiment --task segmentation`: the same draw (so only the pairs a row
 * can use are segmented, in the analysis worker), the same samples, then the
 * experiment in the curation worker.
 */
export async function runBrowserSegExperiment(): Promise<void> {
  const state = useSegExperiment.getState();
  const { realSet, channel } = state;
  if (!realSet || !channel) return;
  running = new AbortController();
  const { signal } = running;
  const patch = (p: Parameters<typeof state.patch>[0]) => useSegExperiment.getState().patch(p);
  try {
    // 1. Check the settings and draw the pairs the rows can use
    const sizes = numberList(state.sizes);
    const ratios = numberList(state.ratios);
    const testLimit = state.testLimit.trim() === '' ? undefined : Number(state.testLimit);
    if (!sizes.length || !ratios.length) throw new Error(`sizes "${state.sizes}" and ratios "${state.ratios}": each needs at least one non-negative number`);
    if (testLimit !== undefined && !(Number.isInteger(testLimit) && testLimit > 0)) throw new Error(`test limit "${state.testLimit}": expected a positive whole number or blank`);
    const syntheticPool = keptSyntheticPairs();
    const draw = drawSegExperimentPairs({ real: realSet.train, synthetic: syntheticPool, test: realSet.test }, { sizes, ratios, seed: state.seed, testLimit });

    // 2. Segmenter outputs of the drawn pairs, one image at a time; cancel stops between images
    const pairs = [...draw.real, ...draw.synthetic, ...draw.test];
    const samples: SegmentationSample[] = [];
    for (const pair of pairs) {
      patch({ progress: { stage: 'segment', done: samples.length, total: pairs.length } });
      if (signal.aborted) throw new StudioError('aborted', 'cancelled by the user');
      samples.push(await segmented(pair, channel));
    }
    const real = samples.slice(0, draw.real.length);
    const synthetic = samples.slice(draw.real.length, draw.real.length + draw.synthetic.length);
    const test = samples.slice(draw.real.length + draw.synthetic.length);

    // 3. The head per row, in the curation worker (cancel terminates it)
    const setup = { real, synthetic, test, sizes, ratios, seed: state.seed, pixelsPerImage: state.pixels, C: state.C, bootstrapIterations: state.bootstrap };
    patch({ progress: { stage: 'fit', done: 0, total: sizes.length * ratios.length } });
    const result = await withCurationWorker((api) => api.runSegExperiment(setup, (p) => patch({ progress: { stage: 'fit', ...p } })), signal);
    patch({ result: { ...result, channel, counts: { real: real.length, synthetic: synthetic.length, test: test.length }, syntheticAvailable: syntheticPool.length } });
  } catch (error) {
    useStatus.getState().showError('Segmentation augmentation experiment', error);
  } finally {
    patch({ progress: undefined });
  }
}
