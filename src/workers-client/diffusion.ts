import * as Comlink from 'comlink';
import type { DiffusionApi } from '../../workers/diffusion.worker.ts';
import type { BackendInfo, BackendPreference } from '../../workers/runtime/index.ts';

export interface DiffusionClient {
  api: Comlink.Remote<DiffusionApi>;
  backend: BackendInfo;
  preference: BackendPreference;
}

let current: { preference: BackendPreference; worker: Worker; ready: Promise<DiffusionClient> } | undefined;

/**
 * The diffusion worker for a backend preference, separate from the analysis worker so
 * a long generation never blocks analysis. Changing the preference terminates the old
 * worker (freeing its sessions) and starts a fresh one.
 */
export function diffusionClient(preference: BackendPreference): Promise<DiffusionClient> {
  if (current?.preference === preference) return current.ready;
  current?.worker.terminate();
  const worker = new Worker(new URL('../../workers/diffusion.worker.ts', import.meta.url), { type: 'module', name: 'diffusion' });
  const api = Comlink.wrap<DiffusionApi>(worker);
  const ready = api.configure(preference).then((backend) => ({ api, backend, preference }));
  current = { preference, worker, ready };
  return ready;
}

export { Comlink };
