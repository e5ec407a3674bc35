/**
 * Cache Storage names the service worker (src/sw.ts) owns besides Workbox's
 * precache (the app shell): Settings' "clear cached models and data" deletes these
 * and the model cache (src/core/manifest/modelCache.ts), and keeps the app shell.
 */
export const RUNTIME_CACHE_PREFIX = 'cxr-studio-runtime-';
