import type { BackendPreference } from '../contracts/backend.ts';
import type { StudioError } from '../core/errors.ts';
import type { DiffusionApi } from '../../workers/diffusion.worker.ts';
import { backendWorker, type BackendClient } from './backendWorker.ts';

export type DiffusionClient = BackendClient<DiffusionApi>;

const diffusion = backendWorker<DiffusionApi>('diffusion', (name) => new Worker(new URL('../../workers/diffusion.worker.ts', import.meta.url), { type: 'module', name }));

/**
 * The diffusion worker for a backend preference, separate from the analysis worker so
 * a long generation never blocks analysis. Changing the preference terminates the old
 * worker (freeing its sessions) and starts a fresh one; its pending calls reject.
 */
export function diffusionClient(preference: BackendPreference): Promise<DiffusionClient> {
  return diffusion.client(preference);
}

/** Called after each diffusion worker stops: the generator loaded into it is gone. */
export function onDiffusionWorkerStopped(listener: (error: StudioError) => void): () => void {
  return diffusion.onStopped(listener);
}
