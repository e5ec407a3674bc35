import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { analysisClient } from '../../workers-client/analysis.ts';
import { withCurationWorker } from '../../workers-client/curation.ts';
import { useCurate } from './curateStore.ts';
import { exportable } from './curation.ts';
import { readLabelledFolder } from './labelledFolder.ts';
import { useExperiment, type RealSet } from './experimentStore.ts';

async function featuresOf(png: Blob): Promise<Float32Array> {
  const { api } = await analysisClient(useSettings.getState().backend);
  const image = await api.decode(await png.arrayBuffer());
  const result = await api.analyze(image, undefined, () => {});
  if (!result.classification?.features) throw new Error('the classifier gives no "features" output');
  return result.classification.features;
}

/**
 * A real set chosen as a folder: labels.csv with `file` (or `image`) and `label`,
 * rows split by a `split` column (train / test), as ../shared/data/cxr256 lays them out.
 */
export async function loadRealSet(files: FileList): Promise<void> {
  const { patch } = useExperiment.getState();
  try {
    const { name, table, files: byPath } = await readLabelledFolder(files);
    const column = table.columns.includes('file') ? 'file' : 'image';
    const rows = table.rows.filter((r) => r.label && (r.split === 'train' || r.split === 'test') && byPath.has(r[column]));
    const classes = [...new Set(rows.filter((r) => r.split === 'train').map((r) => r.label))].sort();
    const set: RealSet = { name, classes, train: { features: [], labels: [] }, test: { features: [], labels: [] } };
    for (let i = 0; i < rows.length; i++) {
      patch({ loading: { done: i, total: rows.length } });
      const row = rows[i];
      if (!classes.includes(row.label)) continue;
      const part = row.split === 'train' ? set.train : set.test;
      (part.features as Float32Array[]).push(await featuresOf(byPath.get(row[column])!));
      (part.labels as number[]).push(classes.indexOf(row.label));
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

/** "50,100,200" -> [50, 100, 200]; what is not a non-negative number is left out. */
export function numberList(text: string): number[] {
  return text.split(',').map(Number).filter((v) => Number.isFinite(v) && v >= 0);
}

let running: AbortController | undefined;

export function cancelExperiment(): void {
  running?.abort();
}

export async function runBrowserExperiment(): Promise<void> {
  const state = useExperiment.getState();
  const real = state.realSet;
  if (!real) return;
  const synthetic = syntheticSet(real.classes);
  const setup = { real: real.train, test: real.test, synthetic, classCount: real.classes.length, sizes: numberList(state.sizes), ratios: numberList(state.ratios), seed: state.seed, C: state.C, bootstrapIterations: state.bootstrap };
  running = new AbortController();
  state.patch({ busy: 'experiment', rows: undefined, progress: { done: 0, total: setup.sizes.length * setup.ratios.length }, syntheticUsed: synthetic.labels.length });
  try {
    const rows = await withCurationWorker((api) => api.runExperiment(setup, (progress) => useExperiment.getState().patch({ progress })), running.signal);
    useExperiment.getState().patch({ rows });
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

async function grayPlane(png: Blob) {
  const bitmap = await createImageBitmap(png);
  const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const data = Float64Array.from({ length: bitmap.width * bitmap.height }, (_, i) => rgba[i * 4] / 255);
  const plane = { data, width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return plane;
}

/** Mean pairwise MS-SSIM per prompt over the whole gallery: lower means more diverse. */
export async function computeDiversity(): Promise<void> {
  const { entries } = useCurate.getState();
  const byPrompt = new Map<string, Blob[]>();
  for (const e of entries) byPrompt.set(e.provenance.prompt, [...(byPrompt.get(e.provenance.prompt) ?? []), e.png]);
  useExperiment.getState().patch({ busy: 'diversity' });
  try {
    const groups = await Promise.all([...byPrompt].filter(([, pngs]) => pngs.length > 1).map(async ([key, pngs]) => ({ key, planes: await Promise.all(pngs.map(grayPlane)) })));
    const diversity = await withCurationWorker((api) => api.diversity(groups));
    useExperiment.getState().patch({ diversity });
  } catch (error) {
    useStatus.getState().showError('Diversity (MS-SSIM)', error);
  } finally {
    useExperiment.getState().patch({ busy: undefined });
  }
}
