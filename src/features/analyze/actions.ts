import { userMessage } from '../../core/errors.ts';
import { groundTruthMask } from '../../core/mask/groundTruth.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { queryClient } from '../../state/queryClient.ts';
import { analysisClient } from '../../workers-client/analysis.ts';
import { transfer } from '../../workers-client/index.ts';
import { showModelPlacement } from '../models/queries.ts';
import { useAnalyze } from './analyzeStore.ts';

function fail(where: string, error: unknown): void {
  const { title, detail } = userMessage(error);
  useAnalyze.getState().setError({ title, detail });
  useAnalyze.getState().setStage(undefined);
  useStatus.getState().showError(where, error);
}

/** Decode a user's file in the worker (PNG/JPEG/DICOM by content); nothing is uploaded. */
export async function openImage(file: File): Promise<void> {
  const store = useAnalyze.getState();
  store.setError(undefined);
  store.setStage('decode');
  try {
    const { api } = await analysisClient(useSettings.getState().backend);
    const buffer = await file.arrayBuffer();
    const image = await api.decode(transfer(buffer, [buffer]));
    store.setImage(file.name, image);
    store.setStage(undefined);
  } catch (error) {
    fail(`Opening ${file.name}`, error);
  }
}

let running: AbortController | undefined;

/** Run the loaded models on the open image (default window, as the models were trained). */
export async function analyzeOpenImage(): Promise<void> {
  const store = useAnalyze.getState();
  const image = store.image;
  if (!image) return;
  store.setResult(undefined);
  running = new AbortController();
  try {
    const { withSignal } = await analysisClient(useSettings.getState().backend);
    const result = await withSignal(running.signal).analyze(image, undefined, (stage) => useAnalyze.getState().setStage(stage));
    showModelPlacement(result.models);
    if (useAnalyze.getState().image === image) useAnalyze.getState().setResult(result);
    useAnalyze.getState().setStage(undefined);
  } catch (error) {
    fail('Analysis', error);
  }
}

/** Cancel a running analysis: the worker is stopped and the models reload into a fresh one. */
export function cancelAnalysis(): void {
  if (!running || running.signal.aborted) return;
  useAnalyze.getState().markCancelled();
  running.abort();
  void queryClient.invalidateQueries({ queryKey: ['analysis-models'] });
}

/** A ground-truth mask (any image; lung >= half its maximum, the rule evaluate uses) to score the predicted mask with Dice. */
export async function openGroundTruth(file: File): Promise<void> {
  try {
    const { api } = await analysisClient(useSettings.getState().backend);
    const buffer = await file.arrayBuffer();
    const mask = await api.decode(transfer(buffer, [buffer]));
    useAnalyze.getState().setGroundTruth({ name: file.name, mask: Float32Array.from(groundTruthMask(mask.values)) });
  } catch (error) {
    fail(`Opening mask ${file.name}`, error);
  }
}
