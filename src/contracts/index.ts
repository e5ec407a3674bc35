/**
 * src/contracts: the types that cross the worker boundary. The workers, the
 * bridges (src/workers-client) and the pages import them from here, so the
 * app never reaches into workers/ for a type.
 */
export type { AdapterInfo, BackendInfo, BackendPreference, ExecutionProvider } from './backend.ts';
export type { AnalysisRole, LoadedModelInfo } from './analysis.ts';
export type { CaseView, FileSet } from './evaluation.ts';
export type { GeneratedImage, GenerationRequest, GeneratorInfo, MaskSource } from './generation.ts';
export type { LoadProgress, ProgressCallback } from './progress.ts';
