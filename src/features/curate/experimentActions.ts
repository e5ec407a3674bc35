import type { LabelledFeatures } from '../../core/experiments/augmentExperiment.ts';
import type { DroppedFile } from '../../core/data/dropRouting.ts';
import { StudioError } from '../../core/errors.ts';
import { runClassificationExperiment } from '../../core/experiments/classification.ts';
import { experimentClasses, labelledRows } from '../../core/experiments/labelledRows.ts';
import { readClassificationSettings } from '../../core/experiments/settings.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { analysisClient } from '../../workers-client/analysis.ts';
import { withCurationWorker } from '../../workers-client/curation.ts';
import { transfer } from '../../workers-client/index.ts';
import { useCurate } from './curateStore.ts';
import { exportable } from './curation.ts';
import { readLabelledFolder } from './labelledFolder.ts';
import { useExperiment, type RealSet } from './experimentStore.ts';
import { showModelPlacement } from '../models/queries.ts';

async function featuresOf(png: Blob): Promise<Float32Array> {
  const { api } = await analysisClient(useSettings.getState().backend);
  const image = await api.decode(await png.arrayBuffer());
  const result = await api.analyze(image, undefined, () => {});
  showModelPlacement(result.models);
  if (!result.classification?.features) throw new Error('the classifier gives no "features" output');
  return result.classification.features;
}

/**
 * A real set chosen as a folder: labels.csv with `file` (or `image`) and `label`,
 * rows split by a `split` column (train / test), as ../shared/data/cxr256 lays them out
 * (src/core/experiments/labelledRows.ts, the CLI's rule). Features are read here, once.
 */
export async function loadRealSet(entries: readonly DroppedFile<File>[]): Promise<void> {
  const { patch } = useExperiment.getState();
  try {
    const { name, table, files: byPath } = await readLabelledFolder(entries);
    const source = `${name}/labels.csv`;
    if (!table.columns.includes('split')) throw new StudioError('labels-invalid', `${source}: needs a "split" column (train / test), has [${table.columns.join(', ')}]`);
    const splits = { train: labelledRows(table, source, 'train'), test: labelledRows(table, source, 'test') };
    const classes = experimentClasses(splits.train.map((r) => r.label));
    const rows = [...splits.train, ...splits.test];
    const set: RealSet = { name, classes, train: { features: [], labels: [] }, test: { features: [], labels: [] } };
    let done = 0;
    for (const split of ['train', 'test'] as const) {
      for (const row of splits[split]) {
        patch({ loading: { done: done++, total: rows.length } });
        const image = byPath.get(row.file);
        if (!image || !classes.includes(row.label)) continue;
        (set[split].features as Float32Array[]).push(await featuresOf(image));
        (set[split].labels as number[]).push(classes.indexOf(row.label));
      }
    }
    patch({ realSet: set, rows: undefined, fid: undefined });
  } catch (error) {
    useStatus.getState().showError('Reading the real set', error);
  } finally {
    patch({ loading: undefined });
  }
}

/** The kept synthetic images whose prompted class is one of the real set's classes, with their features. */
function syntheticSet(classes: string[]) {
  const { entries, scores, thresholds, reviews } = useCurate.getState();
  const kept = exportable(entries, scores, thresholds, reviews).filter((e) => scores[e.id].features && classes.includes(scores[e.id].findingClass ?? ''));
  return { features: kept.map((e) => scores[e.id].features!), labels: kept.map((e) => classes.indexOf(scores[e.id].findingClass!)) };
}

/** A set's images as the experiment's samples: each label by name, with the features read before. */
function samplesOf(set: LabelledFeatures, classes: readonly string[]) {
  return set.labels.map((label, i) => ({ label: classes[label], features: set.features[i] }));
}

let running: AbortController | undefined;

export function cancelExperiment(): void {
  running?.abort();
}

/** As `augment-experiment`: the same settings rules and run (src/core/experiments), the heads fitted in the curation worker. */
export async function runBrowserExperiment(): Promise<void> {
  const state = useExperiment.getState();
  const real = state.realSet;
  if (!real) return;
  running = new AbortController();
  const { signal } = running;
  state.patch({ busy: 'experiment', rows: undefined, progress: undefined });
  try {
    const settings = readClassificationSettings({ sizes: state.sizes, ratios: state.ratios, seed: state.seed, C: state.C, bootstrapIterations: state.bootstrap });
    const { rows, counts } = await runClassificationExperiment({
      settings,
      classes: real.classes,
      real: samplesOf(real.train, real.classes),
      test: samplesOf(real.test, real.classes),
      synthetic: samplesOf(syntheticSet(real.classes), real.classes),
      features: async (sample) => sample.features,
      fit: (setup, onProgress) => withCurationWorker((api) => api.runExperiment(setup, onProgress), signal),
      onProgress: (progress) => useExperiment.getState().patch({ progress }),
      isCancelled: () => signal.aborted,
    });
    useExperiment.getState().patch({ rows, syntheticUsed: counts.synthetic });
  } catch (error) {
    useStatus.getState().showError('Augmentation experiment', error);
  } finally {
    useExperiment.getState().patch({ busy: undefined, progress: undefined });
  }
}

export async function computeFid(): Promise<void> {
  const real = useExperiment.getState().realSet;
  if (!real) return;
  const synthetic = syntheticSet(real.classes).features;
  useExperiment.getState().patch({ busy: 'fid' });
  try {
    const fid = await withCurationWorker((api) => api.fid([...real.train.features, ...real.test.features] as Float32Array[], synthetic as Float32Array[]));
    useExperiment.getState().patch({ fid });
  } catch (error) {
    useStatus.getState().showError('FID', error);
  } finally {
    useExperiment.getState().patch({ busy: undefined });
  }
}

/** Mean pairwise MS-SSIM per prompt over the whole gallery: lower means more diverse. The curation worker decodes the PNGs. */
export async function computeDiversity(): Promise<void> {
  const { entries } = useCurate.getState();
  const byPrompt = new Map<string, Blob[]>();
  for (const e of entries) byPrompt.set(e.provenance.prompt, [...(byPrompt.get(e.provenance.prompt) ?? []), e.png]);
  useExperiment.getState().patch({ busy: 'diversity' });
  try {
    const groups = await Promise.all([...byPrompt].map(async ([key, pngs]) => ({ key, pngs: await Promise.all(pngs.map(async (png) => new Uint8Array(await png.arrayBuffer()))) })));
    const buffers = groups.flatMap((g) => g.pngs.map((png) => png.buffer));
    const diversity = await withCurationWorker((api) => api.diversity(transfer(groups, buffers)));
    useExperiment.getState().patch({ diversity });
  } catch (error) {
    useStatus.getState().showError('Diversity (MS-SSIM)', error);
  } finally {
    useExperiment.getState().patch({ busy: undefined });
  }
}
