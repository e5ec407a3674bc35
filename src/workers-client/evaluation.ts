import type { BackendPreference } from '../contracts/backend.ts';
import type { EvaluationApi } from '../../workers/evaluation.worker.ts';
import { backendWorker, type BackendClient } from './backendWorker.ts';

export type EvaluationClient = BackendClient<EvaluationApi>;

const evaluation = backendWorker<EvaluationApi>('evaluation', (name) => new Worker(new URL('../../workers/evaluation.worker.ts', import.meta.url), { type: 'module', name }));

/** The evaluation worker for a backend preference; a new preference starts a fresh worker and settles the old one's calls. */
export function evaluationClient(preference: BackendPreference): Promise<EvaluationClient> {
  return evaluation.client(preference);
}
