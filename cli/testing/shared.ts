import { join, resolve } from 'node:path';

/**
 * The shared data and reference-model folder that sits next to the repository
 * (`../shared`, see README "Data"). CXR_SHARED points elsewhere, for a checkout that
 * lives somewhere else (a worktree in /tmp, a CI runner). Tests that need it skip
 * when it is absent; scripts/stage-reference.mjs follows the same rule.
 */
export const SHARED = resolve(process.env.CXR_SHARED ?? join(import.meta.dirname, '../../../shared'));

/** A path inside ../shared/data/cxr256. */
export const cxr256 = (...parts: string[]) => join(SHARED, 'data/cxr256', ...parts);
