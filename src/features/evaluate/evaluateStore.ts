import { create } from 'zustand';
import type { ColumnMapping } from '../../core/data/columnMapping.ts';
import type { CsvTable } from '../../core/data/csvTable.ts';
import type { CaseResult } from '../../core/evaluation/caseResult.ts';
import type { ModelComparison } from '../../core/evaluation/comparison.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings, type EvaluationSummary } from '../../core/evaluation/summary.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import type { UserModelValues } from '../models/userModelSpec.ts';
import type { InterruptedEvaluation } from './interruptedRun.ts';
import type { CaseView, FileSet } from '../../contracts/evaluation.ts';

export interface PickedFiles {
  label: string;
  source: FileSet;
  names: string[];
  rejected: Array<{ name: string; reason: string }>;
}

/**
 * The user's own ONNX model as the Evaluate page holds it: the File (a handle
 * to the local file, re-read for each run) and the form it was checked with.
 * Only in memory: after a reload it must be picked again.
 */
export interface UserModel {
  file: File;
  values: UserModelValues;
  /** The one-model manifest, tensor names as the model declares them. */
  manifest: Manifest;
  sha256: string;
}

export type RunStatus = 'loading-models' | 'running' | 'summarizing' | 'done' | 'cancelled' | 'failed';

export interface RunState {
  status: RunStatus;
  total: number;
  cases: CaseResult[];
  startedAt: number;
  /** When the latest image finished, for the ETA. */
  lastAt?: number;
  error?: { title: string; detail: string };
}

interface EvaluateState {
  /** Which model the run scores: the active built-in bundle or the user's own. */
  modelSource: 'bundle' | 'user';
  userModel?: UserModel;
  userModelMessage?: { ok: boolean; title: string; detail?: string };
  userModelBusy?: boolean;
  images?: PickedFiles;
  masks?: PickedFiles;
  labels?: { name: string; table: CsvTable };
  inputError?: { title: string; detail: string };
  /** What the last drag and drop put where, and what it left out. */
  dropNote?: string;
  mapping: Partial<ColumnMapping>;
  split?: string;
  /** "dataset label=model class, ..." as typed. */
  labelMap: string;
  /** Label cells are sets; undefined = guessed from the cells (labelSets.ts), as the CLI does. */
  multiLabel?: boolean;
  channel: number;
  settings: EvaluationSettings;
  run?: RunState;
  /** A run stopped by a fault or a reload, kept in IndexedDB, to resume once its images are chosen again. */
  interrupted?: InterruptedEvaluation;
  summary?: EvaluationSummary;
  openRunId?: string;
  comparison?: ModelComparison;
  view?: { stem: string; view?: CaseView; error?: string };
  set(patch: Partial<Omit<EvaluateState, 'set' | 'addCase'>>): void;
  addCase(result: CaseResult): void;
}

export const useEvaluate = create<EvaluateState>()((set) => ({
  modelSource: 'bundle',
  mapping: {},
  labelMap: '',
  channel: 0,
  settings: DEFAULT_SETTINGS,
  set: (patch) => set(patch),
  addCase: (result) => set((s) => (s.run ? { run: { ...s.run, cases: [...s.run.cases, result], lastAt: performance.now() } } : {})),
}));
