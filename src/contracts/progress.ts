import type { ModelRole } from '../core/manifest/types.ts';
import type { ExecutionProvider } from './backend.ts';

/** Model-load progress, one tagged union for every file (after transformers.js). */
export type LoadProgress =
  | { status: 'initiate'; role: ModelRole; file: string; total: number }
  | { status: 'download'; role: ModelRole; file: string; fromCache: boolean }
  | { status: 'progress'; role: ModelRole; file: string; loaded: number; total: number }
  | { status: 'done'; role: ModelRole; file: string; total: number; fromCache: boolean }
  | { status: 'ready'; role: ModelRole; file: string; ep: ExecutionProvider };

export type ProgressCallback = (progress: LoadProgress) => void;
