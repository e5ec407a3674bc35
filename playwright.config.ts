import { defineConfig } from '@playwright/test';

// Several engineers may run e2e at once on one machine: E2E_PORT and E2E_DIST
// give each run its own preview server and build folder (build with
// `npx vite build --outDir $E2E_DIST` first).
const port = Number(process.env.E2E_PORT ?? 4173);
const outDir = process.env.E2E_DIST ?? 'dist';

// Debian's chromium, launched with the flags that keep it off the closed
// network and give it a (SwiftShader) WebGPU adapter.
export default defineConfig({
  testDir: 'e2e',
  // in CI a missing ../shared fails the run; a user without it gets skips with messages
  globalSetup: './cli/testing/requireShared.ts',
  timeout: 300_000,
  // Two workers bought nothing on 2 cores: 49 tests in 20.3 min with 1 or 2 (AMD EPYC host,
  // 2026-12-06); the WASM and SwiftShader runs already use both cores.
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --outDir ${outDir}`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
