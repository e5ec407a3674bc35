import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * Work that must survive its page: a generation batch or an evaluation run,
 * written as each item finishes, so a reload, a crashed worker, a lost GPU or
 * a backend switch leaves a record the page offers to resume. One record per
 * kind; it is deleted when the work finishes or the user discards it.
 */
export type JobKind = 'generation' | 'evaluation';

interface JobsSchema extends DBSchema {
  jobs: { key: JobKind; value: { kind: JobKind; value: unknown } };
}

let db: Promise<IDBPDatabase<JobsSchema>> | undefined;

function open(): Promise<IDBPDatabase<JobsSchema>> {
  db ??= openDB<JobsSchema>('cxr-studio-resume', 1, {
    upgrade(database) {
      database.createObjectStore('jobs', { keyPath: 'kind' });
    },
  });
  return db;
}

export async function saveJob<T>(kind: JobKind, value: T): Promise<void> {
  await (await open()).put('jobs', { kind, value });
}

export async function loadJob<T>(kind: JobKind): Promise<T | undefined> {
  return (await (await open()).get('jobs', kind))?.value as T | undefined;
}

export async function clearJob(kind: JobKind): Promise<void> {
  await (await open()).delete('jobs', kind);
}
