import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from './shared.ts';

/** What the data-backed tests read from ../shared. */
const NEEDED = ['data/cxr256', 'models/reference-v0'];

export function missingShared(shared: string): string[] {
  return NEEDED.map((part) => join(shared, part)).filter((path) => !existsSync(path));
}

/**
 * Global setup of Vitest and Playwright. A user who cloned without ../shared gets
 * skipped tests, each with a message; CI has ../shared, so there a missing folder is a
 * broken set-up and fails the run instead of passing it with half the tests skipped.
 */
export default function requireSharedInCi(): void {
  if (!process.env.CI) return;
  const missing = missingShared(SHARED);
  if (missing.length) {
    throw new Error(`CI is set, but the shared data the tests read is missing: ${missing.join(', ')} (lay ../shared beside the checkout or set CXR_SHARED); refusing to pass with those tests skipped`);
  }
}
