import * as Comlink from 'comlink';
import { StudioError } from '../core/errors.ts';
import type { CurationApi } from '../../workers/curation.worker.ts';

/**
 * Runs one call in a fresh curation worker and terminates it afterwards, or at
 * once when `signal` aborts (the work is one synchronous loop, so stopping the
 * worker is the only way to stop it).
 */
export async function withCurationWorker<T>(task: (api: Comlink.Remote<CurationApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const worker = new Worker(new URL('../../workers/curation.worker.ts', import.meta.url), { type: 'module', name: 'curation' });
  try {
    return await new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new StudioError('aborted', 'cancelled by the user'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      task(Comlink.wrap<CurationApi>(worker)).then(resolve, reject).finally(() => signal?.removeEventListener('abort', onAbort));
    });
  } finally {
    worker.terminate();
  }
}

export { Comlink };
