import type { CaseResult } from '../../core/evaluation/caseResult.ts';
import type { EvaluationPlan } from '../../core/evaluation/request.ts';
import { clearJob, loadJob, saveJob } from '../../storage/resumableJobs.ts';
import { useEvaluate } from './evaluateStore.ts';

/**
 * An evaluation run as it is kept while it runs (src/storage/resumableJobs.ts):
 * the finished cases, written as each one lands, so a reload, a crashed worker
 * or a backend switch keeps them, and the page can score only the rest once
 * the same images are chosen again (the picked files themselves cannot be kept).
 */
export interface InterruptedEvaluation {
  bundle: string;
  dataset: string;
  /** The image of every planned case, in plan order. */
  images: string[];
  cases: CaseResult[];
  /** Why it stopped, when the page saw it stop (absent: the page was closed or reloaded). */
  stopped?: { title: string; detail: string };
}

let kept: InterruptedEvaluation | undefined;
let writing: Promise<void> = Promise.resolve();
/** The write queued behind `writing`, not started yet: it writes whatever record is latest when it starts. */
let queued: Promise<void> | undefined;
let latest: InterruptedEvaluation | undefined;

/**
 * Writes are queued so the record on disk is always the latest whole one, and coalesced:
 * cases land a batch at a time, and each write holds every case before it, so one write
 * serves every call made while the previous one ran. The promise settles once a write
 * holding `record` (or a later one) is done.
 */
function write(record: InterruptedEvaluation | undefined): Promise<void> {
  latest = record;
  queued ??= writing.then(() => {
    queued = undefined;
    return latest ? saveJob('evaluation', latest) : clearJob('evaluation');
  }).catch(() => undefined);
  writing = queued;
  return queued;
}

export function beginKeeping(record: InterruptedEvaluation): Promise<void> {
  kept = record;
  return write(kept);
}

/**
 * Adds a finished case to the kept record; settles when it is on disk, which is when the
 * page shows it (so a reload keeps every case the page showed as done).
 */
export function keepCase(result: CaseResult): Promise<void> {
  if (!kept) return Promise.resolve();
  kept = { ...kept, cases: [...kept.cases, result] };
  return write(kept);
}

/** The run finished or the user cancelled it: nothing to resume. */
export function stopKeeping(): Promise<void> {
  kept = undefined;
  return write(undefined);
}

/** The run stopped on a fault: keep what it finished, say why, and offer to resume. */
export async function keepStopped(stopped: { title: string; detail: string }): Promise<void> {
  if (!kept) return;
  const record = { ...kept, stopped };
  kept = undefined;
  await write(record);
  useEvaluate.getState().set({ interrupted: remainingCount(record) > 0 ? record : undefined });
}

export async function loadInterruptedRun(): Promise<void> {
  const record = await loadJob<InterruptedEvaluation>('evaluation').catch(() => undefined);
  if (!kept) useEvaluate.getState().set({ interrupted: record && remainingCount(record) > 0 ? record : undefined });
}

export async function discardInterruptedRun(): Promise<void> {
  useEvaluate.getState().set({ interrupted: undefined });
  await write(undefined);
}

export function remainingCount(record: InterruptedEvaluation): number {
  return record.images.length - record.cases.length;
}

/**
 * The plan minus the cases already scored, or why it cannot resume: the
 * chosen images must be the ones the stopped run planned (same files, same order).
 */
export function resumePlan(plan: EvaluationPlan, record: InterruptedEvaluation): { plan: EvaluationPlan } | { mismatch: string } {
  const images = plan.validation.items.map((i) => i.image);
  if (images.length !== record.images.length || images.some((name, i) => name !== record.images[i])) {
    return { mismatch: `choose the same images as the stopped run (${record.dataset}: ${record.images.length} images); the chosen set has ${images.length}` };
  }
  const done = new Set(record.cases.map((c) => c.image));
  return { plan: { ...plan, validation: { ...plan.validation, items: plan.validation.items.filter((i) => !done.has(i.image)) } } };
}
