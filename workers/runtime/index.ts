/** workers/runtime: the one module that owns onnxruntime-web. Workers import from here. */
export { chooseBackend, decideBackend, describeAdapter, isSoftwareAdapter, probeAdapter, wasmThreadCount } from './backend.ts';
export type { AdapterInfo, BackendInfo, BackendPreference, ExecutionProvider } from './backend.ts';
export { chooseVariant } from './variants.ts';
export type { VariantChoice } from './variants.ts';
export { clearModelCache, fetchModelFile } from './fetchModel.ts';
export type { LoadProgress, ProgressCallback } from './progress.ts';
export { createWebRunner, describeModel } from './session.ts';
export type { WebRunner } from './session.ts';
