/**
 * src/workers-client: the only door to the workers. Pages call a worker's
 * functions through these bridges and never import comlink; callbacks they pass
 * cross as calls back to the page, and `transfer` moves buffers instead of copying.
 */
export { switchBackend } from './backendWorker.ts';
export type { BackendClient } from './backendWorker.ts';
export { transfer } from './bridge.ts';
export type { WorkerCalls } from './bridge.ts';
