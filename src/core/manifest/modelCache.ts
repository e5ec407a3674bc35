/**
 * Where verified model files live in Cache Storage. workers/runtime/fetchModel.ts
 * writes them; the page reads the same keys to tell whether a bundle is available
 * offline and clears the cache from Settings. The service worker leaves these
 * files to this cache (no second copy).
 */
export const MODEL_CACHE_NAME = 'cxr-studio-models-v1';

/** Keyed by absolute URL and content hash, so a changed file is fetched again. */
export function modelCacheKey(absoluteUrl: string, sha256: string): string {
  return `${absoluteUrl}?sha256=${sha256}`;
}
