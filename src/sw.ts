/// <reference lib="webworker" />
/**
 * The studio's service worker (built by vite-plugin-pwa, injectManifest):
 * 1. the app shell (HTML, JS, CSS, icons, the bundles' manifests and example
 *    images) is precached, so a reload works without network;
 * 2. WebAssembly (onnxruntime's 14 MB build, the DICOM codecs) goes to a runtime
 *    cache named after this build (CacheFirst; too large for the precache's limits).
 *    The first visit's workers start before this worker controls them, so their own
 *    fetch is not seen: install fetches the CPU builds once itself. The WebGPU build
 *    (asyncify, 27 MB) is cached only when used;
 * 3. model weights are left to workers/runtime/fetchModel.ts, which keeps a
 *    sha256-verified copy in its own cache: caching them here would store them twice;
 * 4. every response it serves gets the cross-origin isolation headers, so
 *    multi-threaded WASM works on a static host that cannot set them.
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { RUNTIME_CACHE_PREFIX } from './app/offline/cacheNames.ts';

declare const self: ServiceWorkerGlobalScope;

const isolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withIsolationHeaders(response),
};

function withIsolationHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.status === 0 || response.headers.get('Cross-Origin-Embedder-Policy')) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The first visit is controlled at once, so its model and wasm fetches are cached too.
// An update waits until every tab of the old version is closed (no skipWaiting): a
// reload must never interrupt a generation or an evaluation run.
clientsClaim();

const listed = self.__WB_MANIFEST;
const urlOf = (entry: (typeof listed)[number]) => (typeof entry === 'string' ? entry : entry.url);
const isWasm = (entry: (typeof listed)[number]) => urlOf(entry).endsWith('.wasm');
const precached = listed.filter((entry) => !isWasm(entry));
const warmWasm = listed.filter(isWasm).map(urlOf).filter((url) => !url.includes('asyncify'));
addPlugins([isolation]);
precacheAndRoute(precached);
cleanupOutdatedCaches();

// index.html's revision changes whenever any hashed asset does: the build's version.
const shell = precached.find((entry) => typeof entry !== 'string' && entry.url === 'index.html');
const build = (typeof shell === 'object' && shell.revision) || 'unversioned';
const wasmCache = `${RUNTIME_CACHE_PREFIX}wasm-${build}`;

registerRoute(({ url, sameOrigin }) => sameOrigin && url.pathname.endsWith('.wasm'), new CacheFirst({ cacheName: wasmCache, plugins: [isolation] }));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(wasmCache).then((cache) => Promise.all(warmWasm.map(async (url) => (await cache.match(url)) ?? cache.add(url)))),
  );
});

// Same-origin requests that reach the network (model weights among them) still need the
// isolation headers when they are documents or scripts.
registerRoute(
  ({ request, sameOrigin }) => sameOrigin && (request.mode === 'navigate' || request.destination === 'script' || request.destination === 'worker'),
  async ({ request }) => withIsolationHeaders(await fetch(request)),
);

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((name) => name.startsWith(`${RUNTIME_CACHE_PREFIX}wasm-`) && name !== wasmCache).map((name) => caches.delete(name)))),
  );
});
