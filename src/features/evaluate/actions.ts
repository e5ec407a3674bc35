import { guessColumnMapping } from '../../core/data/columnMapping.ts';
import { parseCsv, toCsv } from '../../core/data/csvTable.ts';
import { routeDrop, type DroppedFile } from '../../core/data/dropRouting.ts';
import { parseLabelMap } from '../../core/data/labelMap.ts';
import { pseudonymiseJson, pseudonymiseRows, pseudonymsFor, type Pseudonyms } from '../../core/data/pseudonyms.ts';
import { StudioError, userMessage } from '../../core/errors.ts';
import { caseTableRows } from '../../core/evaluation/caseTable.ts';
import { compareModels } from '../../core/evaluation/comparison.ts';
import type { CaseResult } from '../../core/evaluation/caseResult.ts';
import { bundleLabel, planEvaluation, type EvaluationPlan, type EvaluationRequest } from '../../core/evaluation/request.ts';
import { summarizeRun } from '../../core/evaluation/run.ts';
import type { ModelIdentity } from '../../core/evaluation/summary.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { listRuns, saveRun } from '../../storage/evaluationRuns.ts';
import { evaluationClient } from '../../workers-client/evaluation.ts';
import { transfer } from '../../workers-client/index.ts';
import { bundleUrl } from '../models/queries.ts';
import { ownModelFile } from '../models/ownModelFile.ts';
import { readUserModel, type UserModelValues } from '../models/userModelSpec.ts';
import { useEvaluate, type PickedFiles } from './evaluateStore.ts';
import { beginKeeping, keepCase, keepStopped, resumePlan, stopKeeping, type InterruptedEvaluation } from './interruptedRun.ts';
import { queryClient } from '../../state/queryClient.ts';
import { downloadFile } from '../../ui/download.ts';

const client = () => evaluationClient(useSettings.getState().backend);

/** A folder's files (by their path inside it) or a single zip, read entry by entry in the worker. */
/** `paths`: each file's path when it came from a dropped folder (a picked one carries webkitRelativePath). */
export async function pickFiles(files: File[], role: 'images' | 'masks', paths?: string[]): Promise<void> {
  const store = useEvaluate.getState();
  store.set({ inputError: undefined });
  try {
    let picked: PickedFiles;
    if (files.length === 1 && /\.zip$/i.test(files[0].name)) {
      const { api } = await client();
      const listing = await api.listZip(files[0]);
      picked = { label: files[0].name, source: { kind: 'zip', zip: files[0] }, names: listing.files, rejected: listing.rejected };
    } else {
      const byName = Object.fromEntries(files.map((f, i) => [paths?.[i] ?? (f.webkitRelativePath || f.name), f]));
      const names = Object.keys(byName).sort();
      picked = { label: `${names.length} file(s)`, source: { kind: 'files', files: byName }, names, rejected: [] };
    }
    store.set({ [role]: picked });
  } catch (error) {
    store.set({ inputError: userMessage(error) });
  }
}

export async function pickLabels(file: File): Promise<void> {
  const store = useEvaluate.getState();
  try {
    const table = parseCsv(new Uint8Array(await file.arrayBuffer()), file.name);
    store.set({ labels: { name: file.name, table }, mapping: guessColumnMapping(table.columns), split: undefined, inputError: undefined });
  } catch (error) {
    store.set({ labels: undefined, inputError: userMessage(error) });
  }
}

/**
 * Read the user's ONNX file and load it into the evaluation worker (its bytes
 * transferred, nothing uploaded), where it is checked against the form. The
 * page re-reads the File for each run, so the identity saved with a run is
 * the sha256 of the bytes that run scored.
 */
async function loadUserModel(file: File, values: UserModelValues) {
  const { buffer, sha256, manifest, spec, classes } = await readUserModel(file, values);
  const { api, backend } = await client();
  useStatus.getState().setBackend(backend);
  const loaded = await api.loadUserModel(values.role, spec, classes, file.name, transfer(buffer, [buffer]));
  return { manifest: { ...manifest, models: { [values.role]: loaded.spec } }, sha256, loaded: [{ role: loaded.role, file: loaded.file, sha256: loaded.sha256, ep: loaded.ep }] };
}

export function chooseModelSource(source: 'bundle' | 'user'): void {
  useEvaluate.getState().set({ modelSource: source, channel: 0 });
}

/**
 * "Use this model" on the Evaluate page: the picked file (with the data file its weights are in,
 * where it keeps them apart) becomes the model to evaluate; a bad file or a form that does not
 * fit the model leaves a message and the page as it was.
 */
export async function chooseUserModel(files: readonly File[], values: UserModelValues): Promise<void> {
  const store = useEvaluate.getState();
  store.set({ userModelBusy: true, userModelMessage: undefined });
  try {
    const file = (await ownModelFile(files))?.model;
    if (!file) throw new StudioError('model-missing', 'choose an ONNX file first');
    const { manifest, sha256, loaded } = await loadUserModel(file, values);
    store.set({
      userModel: { file, values, manifest, sha256 },
      channel: 0,
      userModelMessage: { ok: true, title: `${file.name} is the ${values.role} to evaluate (sha256 ${sha256.slice(0, 12)}…, ${loaded[0].ep.toUpperCase()}).` },
    });
  } catch (error) {
    const { title, detail } = userMessage(error);
    store.set({ userModel: undefined, userModelMessage: { ok: false, title, detail } });
  } finally {
    store.set({ userModelBusy: false });
  }
}

/**
 * What the current inputs add up to, before anything runs: the same plan the
 * CLI makes (src/core/evaluation/request.ts). Throws a StudioError for an
 * unusable labels mapping or setting.
 */
export function validate(
  manifest: Manifest | undefined,
  { images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings }: Pick<ReturnType<typeof useEvaluate.getState>, 'images' | 'masks' | 'labels' | 'mapping' | 'split' | 'labelMap' | 'multiLabel' | 'channel' | 'settings'>,
): EvaluationPlan | undefined {
  if (!images || !manifest) return undefined;
  const request: EvaluationRequest = {
    variant: useSettings.getState().variant,
    channel: manifest.models.segmenter?.channels?.[channel]?.name,
    multiLabel,
    split,
    mapping: labels ? mapping : {},
    labelMap: parseLabelMap(labelMap),
    settings,
  };
  return planEvaluation(manifest, { images: { files: images.names, rejected: images.rejected }, masks: masks && { files: masks.names, rejected: masks.rejected }, labels: labels?.table }, request);
}

/** `resume`: a run stopped by a fault or a reload (interruptedRun.ts); only its unscored cases run, the summary covers all. */
export async function startRun(manifest: Manifest, plan: EvaluationPlan, resume?: InterruptedEvaluation): Promise<void> {
  const store = useEvaluate.getState();
  const { images, masks, labels, split } = store;
  if (!images) return;
  const rest = resume ? resumePlan(plan, resume) : { plan };
  if ('mismatch' in rest) return store.set({ inputError: { title: 'This is not the stopped run\'s image set', detail: rest.mismatch } });
  const done = resume?.cases ?? [];
  const dataset = [labels?.name ?? images.label, split].filter(Boolean).join(' / ');
  store.set({ interrupted: undefined, run: { status: 'loading-models', total: plan.validation.items.length, cases: done, startedAt: performance.now() }, summary: undefined, view: undefined, openRunId: undefined, comparison: undefined });
  try {
    await beginKeeping({ bundle: manifest.id, dataset, images: plan.validation.items.map((i) => i.image), cases: done });
    const { api, backend } = await client();
    useStatus.getState().setBackend(backend);
    const { modelSource, userModel } = store;
    const user = modelSource === 'user' && userModel;
    const loaded = user ? (await loadUserModel(userModel.file, userModel.values)).loaded : await api.loadBundle(bundleUrl(manifest.id), manifest, plan.roles, plan.variant, useStatus.getState().onProgress);
    const variant = (loaded.find((m) => 'variant' in m) as { variant?: typeof plan.variant } | undefined)?.variant ?? 'fp32';
    useEvaluate.setState((s) => ({ run: s.run && { ...s.run, status: 'running', startedAt: performance.now() } }));
    const identity = { name: dataset, bundle: user ? manifest.id : bundleLabel(manifest.id, variant), classes: manifest.classes ?? [] };
    // Progress comes case by case; the record is what `evaluate` returns, whenever the last progress call lands.
    // A case shows as done once it is kept on disk, so a reload keeps every case the page counted.
    const result = await api.evaluate(rest.plan, images.source, masks?.source, identity, (c: CaseResult) => {
      void keepCase(c).then(() => useEvaluate.getState().addCase(c));
    });
    const { cancelled } = result;
    const cases = [...done, ...result.cases];
    const summary = resume ? summarizeRun(cases, plan, { ...identity, engine: result.summary.engine, models: result.summary.models }) : result.summary;
    await stopKeeping();
    const id = `run-${Date.now()}`;
    useEvaluate.setState((s) => ({ run: s.run && { ...s.run, cases, total: plan.validation.items.length, status: cancelled ? 'cancelled' : 'done' }, summary, openRunId: id }));
    await saveRun({ id, createdAt: Date.now(), summary, cases, cancelled });
    void queryClient.invalidateQueries({ queryKey: ['evaluation-runs'] });
  } catch (error) {
    const words = userMessage(error);
    // a fault (worker gone, backend switched, GPU lost) keeps the finished cases to resume; a cancel does not
    await (words.code === 'aborted' ? stopKeeping() : keepStopped({ title: words.title, detail: words.detail }));
    useEvaluate.setState((s) => ({ run: s.run && { ...s.run, status: 'failed', error: words } }));
    useStatus.getState().showError('Evaluation', error);
  }
}

export async function cancelRun(): Promise<void> {
  const { api } = await client();
  await api.cancel();
}

export async function reopenRun(id: string): Promise<void> {
  const run = (await listRuns()).find((r) => r.id === id);
  if (!run) return;
  useEvaluate.getState().set({
    summary: run.summary,
    openRunId: id,
    view: undefined,
    comparison: undefined,
    run: { status: run.cancelled ? 'cancelled' : 'done', total: run.cases.length, cases: run.cases, startedAt: 0 },
  });
}

/** The open run minus a saved one, over the images both scored (paired bootstrap, the open run's settings). */
export async function compareWithRun(id: string): Promise<void> {
  const { summary, run } = useEvaluate.getState();
  const other = (await listRuns()).find((r) => r.id === id);
  if (!summary || !run || !other) return;
  const label = (s: typeof summary) => `${modelNames(s)} on ${s.dataset.name} (${new Date(s.created).toLocaleTimeString()})`;
  useEvaluate.getState().set({
    comparison: compareModels({ name: label(summary), cases: run.cases }, { name: label(other.summary), cases: other.cases }, summary.classification?.classes.length ?? 0, summary.settings),
  });
}

/** A run's model as a reader tells runs apart: bundle and file(s); a user model's bundle id is `user-<file>`. */
export function modelNames(summary: { bundle: string; models: ModelIdentity[] }): string {
  return `${summary.bundle} (${summary.models.map((m) => m.file).join(', ')})`;
}

export async function viewCase(stem: string): Promise<void> {
  const { run, images, masks, channel } = useEvaluate.getState();
  const result = run?.cases.find((c) => c.stem === stem);
  if (!result || !images) return;
  useEvaluate.getState().set({ view: { stem } });
  try {
    const { api } = await client();
    const item = { stem, image: result.image, ...(result.mask ? { mask: result.mask } : {}) };
    const view = await api.viewCase(item, images.source, masks?.source, channel);
    useEvaluate.getState().set({ view: { stem, view } });
  } catch (error) {
    useEvaluate.getState().set({ view: { stem, error: userMessage(error).detail } });
  }
}

/**
 * Pseudonyms for every file the run names (cases, masks, failures, input issues), derived
 * from the stored run alone: the same run always gets the same key, which never enters an export.
 */
function runPseudonyms(): Pseudonyms | undefined {
  const { summary, run } = useEvaluate.getState();
  if (!summary || !run) return undefined;
  return pseudonymsFor([...run.cases.flatMap((c) => [c.image, c.mask ?? '']), ...summary.failures.map((f) => f.file), ...summary.issues.map((i) => i.file)]);
}

/** `anonymise`: file names become case-0001..., the key is a separate download (exportNameKey). */
export function exportJson(anonymise = false): void {
  const { summary } = useEvaluate.getState();
  const names = anonymise ? runPseudonyms() : undefined;
  if (summary) downloadFile('evaluation-summary.json', JSON.stringify(names ? pseudonymiseJson(summary, names) : summary, null, 1), 'application/json');
}

export function exportCsv(anonymise = false): void {
  const { summary, run } = useEvaluate.getState();
  if (!summary || !run) return;
  const rows = caseTableRows(run.cases, summary.classification?.classes ?? summary.multiLabel?.classes ?? [], summary.models, summary.multiLabel?.threshold);
  const names = anonymise ? runPseudonyms() : undefined;
  const out = names ? pseudonymiseRows(rows, ['stem', 'image', 'mask'], names).map((row) => ({ ...row, error: names.scrub(String(row.error)) })) : rows;
  downloadFile(anonymise ? 'evaluation-cases-anonymised.csv' : 'evaluation-cases.csv', toCsv(out), 'text/csv');
}

/** pseudonym -> original file stem for an anonymised export; keep it private. */
export function exportNameKey(): void {
  const names = runPseudonyms();
  if (names) downloadFile('evaluation-name-key.csv', toCsv(names.key()), 'text/csv');
}

/**
 * A drop of files and folders anywhere on the test-set panel, routed by name
 * (src/core/data/dropRouting.ts): labels CSV, images and masks, folders read whole.
 */
export async function dropTestSet(dropped: DroppedFile<File>[]): Promise<void> {
  const route = routeDrop(dropped);
  const store = useEvaluate.getState();
  if (!route.images.length && !route.masks.length && !route.labels) {
    store.set({ inputError: { title: 'Nothing to use in this drop', detail: 'drop images (PNG, JPEG, DICOM), a zip, a labels CSV, or a folder holding them' } });
    return;
  }
  if (route.labels) await pickLabels(route.labels.file);
  for (const role of ['images', 'masks'] as const) {
    if (route[role].length) await pickFiles(route[role].map((d) => d.file), role, route[role].map((d) => d.path));
  }
  useEvaluate.getState().set({ dropNote: `dropped: ${route.images.length} image file(s), ${route.masks.length} mask file(s)${route.labels ? `, labels ${route.labels.path}` : ''}${route.ignored.length ? `; not used: ${route.ignored.map((i) => `${i.path} (${i.reason})`).join(', ')}` : ''}` });
}
