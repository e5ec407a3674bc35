import type { StudioError } from '../errors.ts';

/** How a promise settles, as one comparable string: 'ok', or the StudioError's `code: message`. For tests. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return `${(error as StudioError).code}: ${(error as Error).message}`;
  }
}
