import type { CurationApi } from '../../workers/curation.worker.ts';
import { StudioError } from '../core/errors.ts';
import { startWorker, type WorkerCalls } from './bridge.ts';

/**
 * Runs one call in a fresh curation worker and terminates it afterwards, or at
 * once when `signal` aborts (the work is one synchronous loop, so stopping the
 * worker is the only way to stop it).
 */
export async function withCurationWorker<T>(task: (api: WorkerCalls<CurationApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const worker = startWorker<CurationApi>('curation', (name) => new Worker(new URL('../../workers/curation.worker.ts', import.meta.url), { type: 'module', name }));
  try {
    return await task(worker.withSignal(signal));
  } finally {
    worker.stop(new StudioError('aborted', 'the curation worker finished'));
  }
}
