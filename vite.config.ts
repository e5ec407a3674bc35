/// <reference types="vitest/config" />
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// Cross-origin isolation lets onnxruntime-web use multi-threaded WASM
// (SharedArrayBuffer); without it ORT silently drops to one thread.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The Content-Security-Policy is written once, in index.html's meta tag (so a static
// host serves it too); the servers below send the same policy as a header.
const CSP_META = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/;
const policy = CSP_META.exec(readFileSync(new URL('./index.html', import.meta.url), 'utf8'))?.[1];
if (!policy) throw new Error('index.html has no Content-Security-Policy meta tag');

/** Add sources to one directive of a policy. */
function allow(csp: string, directive: string, ...sources: string[]): string {
  return csp.replace(new RegExp(`(^|; )${directive}( [^;]*)`), `$1${directive}$2 ${sources.join(' ')}`);
}

/**
 * The dev server injects an inline script (React refresh) and inline styles (CSS
 * modules, HMR): it gets a per-start nonce for those, added to the policy only while
 * serving. Production builds carry no nonce: nothing inline runs there.
 */
function devPolicy(nonce: string): Plugin {
  const csp = allow(allow(policy!, 'script-src', `'nonce-${nonce}'`), 'style-src', `'nonce-${nonce}'`);
  return {
    name: 'cxr-studio:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(CSP_META, `<meta http-equiv="Content-Security-Policy" content="${csp}"`),
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', csp);
        next();
      });
    },
  };
}

/**
 * The service worker (src/sw.ts): the app shell and the bundles' small files are
 * precached; model weights stay in fetchModel.ts's own verified cache, and
 * onnxruntime's wasm goes to the worker's build-named runtime cache.
 */
const serviceWorker = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src',
  filename: 'sw.ts',
  injectRegister: false,
  registerType: 'prompt',
  manifest: {
    name: 'CXR Studio',
    short_name: 'CXR Studio',
    description: 'Synthetic chest X-rays: generate, score, review and evaluate, all on this machine.',
    theme_color: '#16181c',
    background_color: '#16181c',
    display: 'standalone',
    icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
  },
  injectManifest: {
    // .wasm is listed for src/sw.ts to cache at install in its own build-named cache, not precached.
    globPatterns: ['**/*.{html,js,css,svg,png,json,csv,md,webmanifest,wasm}'],
    // Weights go through fetchModel.ts's cache; tokenizers too (they are FileRefs it verifies).
    globIgnores: ['models/**/*.onnx', 'models/**/tokenizer*.json', 'models/reference-v0/**'],
    // onnxruntime-web's JS bundles are 1-3 MB each, its wasm builds 14 and 27 MB.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
  },
  devOptions: { enabled: false },
});

export default defineConfig(({ command }) => {
  const nonce = command === 'serve' ? randomBytes(16).toString('base64') : undefined;
  return {
    plugins: [react(), serviceWorker, ...(nonce ? [devPolicy(nonce)] : [])],
    html: nonce ? { cspNonce: nonce } : undefined,
    server: { headers: isolationHeaders },
    // The meta tag cannot carry frame-ancestors; the header adds it.
    preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': `${policy}; frame-ancestors 'none'` } },
    // Pre-bundling ORT makes the dev server reload the page the first time a
    // worker imports a new ORT entry (see ../shared/RUNTIME-NOTES.md).
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    worker: { format: 'es' },
    build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
    test: {
      include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'cli/**/*.test.ts', 'training/**/*.test.ts'],
      environment: 'node',
      // Two files at once on 2 cores (Vitest's default there is one): much of the suite waits on
      // Python, redis-server and onnxruntime-node subprocesses. 691 tests: 204 s with 2, 319 s
      // with the default (AMD EPYC host, 2026-12-07).
      maxWorkers: 2,
      testTimeout: 120_000,
      // in CI a missing ../shared fails the run; a user without it gets skips with messages
      globalSetup: ['cli/testing/requireShared.ts'],
    },
  };
});
