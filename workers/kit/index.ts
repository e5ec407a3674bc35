/** workers/kit: what every worker shares (expose + errors, backend, model loading, decoding). */
export { configureBackend, currentBackend } from './backend.ts';
export { checkOnFirstRun, openChecked, runnerNote } from './checkedRunner.ts';
export { decodeRaster } from './decodeRaster.ts';
export { exposeWorker, transfer } from './expose.ts';
export { loadModels } from './loadModels.ts';
export type { LoadedModel, LoadModelsOptions } from './loadModels.ts';
