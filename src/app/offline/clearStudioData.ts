import { useOffline } from './offlineStore.ts';

const PENDING = 'cxr-studio-clear-pending';
/** Workbox's precache holds the app itself, not data: kept, so the studio still opens offline. */
const APP_SHELL_CACHE = 'workbox-precache';

export interface ClearReport {
  caches: string[];
  databases: string[];
  /** Databases another open tab of the studio still holds: deleted once it closes. */
  blocked: string[];
}

/**
 * Clearing runs at the next start, before any page, worker or store opens a
 * database: deleting a database that this tab holds open would wait forever.
 */
export function clearStudioDataAndReload(): void {
  sessionStorage.setItem(PENDING, '1');
  location.reload();
}

/** Called once at start-up (src/main.tsx): deletes model and runtime caches, every IndexedDB database of this origin and localStorage. */
export async function finishPendingClear(): Promise<void> {
  if (!sessionStorage.getItem(PENDING)) return;
  sessionStorage.removeItem(PENDING);
  const report: ClearReport = { caches: [], databases: [], blocked: [] };
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) {
      if (name.startsWith(APP_SHELL_CACHE)) continue;
      if (await caches.delete(name)) report.caches.push(name);
    }
  }
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const outcome = await deleteDatabase(name);
    report[outcome === 'deleted' ? 'databases' : 'blocked'].push(name);
  }
  localStorage.clear();
  useOffline.getState().setCleared(report);
}

function deleteDatabase(name: string): Promise<'deleted' | 'blocked'> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve('deleted');
    request.onblocked = () => resolve('blocked');
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
  });
}
