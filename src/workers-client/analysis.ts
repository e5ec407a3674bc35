import * as Comlink from 'comlink';
import type { AnalysisApi } from '../../workers/analysis.worker.ts';
import type { BackendInfo, BackendPreference } from '../../workers/runtime/index.ts';

export interface AnalysisClient {
  api: Comlink.Remote<AnalysisApi>;
  backend: BackendInfo;
  preference: BackendPreference;
}

let current: { preference: BackendPreference; worker: Worker; ready: Promise<AnalysisClient> } | undefined;

/**
 * The analysis worker for a backend preference. Changing the preference
 * terminates the old worker (freeing its sessions and GPU device) and starts
 * a fresh one, so a backend switch never mixes sessions from two providers.
 */
export function analysisClient(preference: BackendPreference): Promise<AnalysisClient> {
  if (current?.preference === preference) return current.ready;
  current?.worker.terminate();
  const worker = new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
  const api = Comlink.wrap<AnalysisApi>(worker);
  const ready = api.configure(preference).then((backend) => ({ api, backend, preference }));
  current = { preference, worker, ready };
  return ready;
}

export { Comlink };
