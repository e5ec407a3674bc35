import type { ModelRole, VariantName } from '../core/manifest/types.ts';
import type { ExecutionProvider } from './backend.ts';

export type AnalysisRole = Extract<ModelRole, 'segmenter' | 'classifier'>;

/** A model open in the analysis worker, as the status bar and Models page show it. */
export interface LoadedModelInfo {
  role: AnalysisRole;
  source: string;
  variant: VariantName;
  ep: ExecutionProvider;
  bytes: number;
  note?: string;
}
