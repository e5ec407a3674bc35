import * as Comlink from 'comlink';
import type { EvaluationApi } from '../../workers/evaluation.worker.ts';
import type { BackendInfo, BackendPreference } from '../../workers/runtime/index.ts';

export interface EvaluationClient {
  api: Comlink.Remote<EvaluationApi>;
  backend: BackendInfo;
}

let current: { preference: BackendPreference; worker: Worker; ready: Promise<EvaluationClient> } | undefined;

/** The evaluation worker for a backend preference; a new preference starts a fresh worker. */
export function evaluationClient(preference: BackendPreference): Promise<EvaluationClient> {
  if (current?.preference === preference) return current.ready;
  current?.worker.terminate();
  const worker = new Worker(new URL('../../workers/evaluation.worker.ts', import.meta.url), { type: 'module', name: 'evaluation' });
  const api = Comlink.wrap<EvaluationApi>(worker);
  const ready = api.configure(preference).then((backend) => ({ api, backend }));
  current = { preference, worker, ready };
  return ready;
}

export { Comlink };
