// The progress union crosses the worker boundary, so the contracts module owns it.
export type { LoadProgress, ProgressCallback } from '../../src/contracts/progress.ts';
