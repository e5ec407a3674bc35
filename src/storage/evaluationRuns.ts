import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CaseResult } from '../core/evaluation/caseResult.ts';
import type { EvaluationSummary } from '../core/evaluation/summary.ts';

/** One finished (or cancelled) evaluation as kept in the browser: its summary and per-image numbers, no pixels. */
export interface StoredRun {
  id: string;
  createdAt: number;
  summary: EvaluationSummary;
  cases: CaseResult[];
  cancelled: boolean;
}

interface RunsSchema extends DBSchema {
  runs: { key: string; value: StoredRun; indexes: { createdAt: number } };
}

let db: Promise<IDBPDatabase<RunsSchema>> | undefined;

function open(): Promise<IDBPDatabase<RunsSchema>> {
  db ??= openDB<RunsSchema>('cxr-studio-evaluations', 1, {
    upgrade(database) {
      database.createObjectStore('runs', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    },
  });
  return db;
}

/** Newest first. */
export async function listRuns(): Promise<StoredRun[]> {
  return (await (await open()).getAllFromIndex('runs', 'createdAt')).reverse();
}

export async function saveRun(run: StoredRun): Promise<void> {
  await (await open()).put('runs', run);
}

export async function deleteRun(id: string): Promise<void> {
  await (await open()).delete('runs', id);
}
