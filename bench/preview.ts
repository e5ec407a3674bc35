/**
 * The built studio behind `vite preview`, and Debian's Chromium with the flags that keep it
 * off the closed network (the same ones playwright.config.ts gives the e2e tests, without
 * WebGPU unless asked: most benches measure WASM). Every Chromium bench opens both through here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');

export interface Preview {
  /** `http://localhost:PORT`, no trailing slash. */
  origin: string;
  /** The npx process; its group holds the vite server (its RSS is left out of the browser's). */
  server: ChildProcess;
  /** Stops npx and the vite process it started. */
  stop(): void;
}

/** Serve `outDir` (relative to the repository) on `port`; resolves once the page answers. */
export async function startPreview(port: number, outDir = 'dist'): Promise<Preview> {
  // Own process group, so stopping it also stops the vite process npx starts.
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--outDir', outDir], { cwd: root, stdio: 'ignore', detached: true });
  const origin = `http://localhost:${port}`;
  const stop = () => process.kill(-server.pid!, 'SIGTERM');
  for (let i = 0; i < 60; i++) {
    if (await fetch(`${origin}/`).then((r) => r.ok, () => false)) return { origin, server, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error(`bench: vite preview of ${outDir} did not answer on ${origin} within 30 s (port taken? run npx vite build first)`);
}

/** `webgpu`: also --enable-unsafe-webgpu, for a bench that times the (here SwiftShader) WebGPU adapter. */
export function launchChromium({ webgpu = false } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(webgpu ? ['--enable-unsafe-webgpu'] : [])],
  });
}

/**
 * A blank page on a made-up localhost origin (a secure context, so it gets navigator.gpu) that
 * serves onnxruntime-web's dist under /ort/ and `bundleDir`'s files under /, from this checkout:
 * no build, and nothing leaves the machine. The page imports ORT itself
 * (`await import('/ort/ort.webgpu.min.mjs')`, `env.wasm.wasmPaths = '/ort/'`).
 */
export async function ortPage(browser: Browser, bundleDir: string, origin = 'http://localhost:9911'): Promise<Page> {
  const ortDist = join(root, 'node_modules/onnxruntime-web/dist');
  const page = await browser.newPage();
  // tsx (esbuild keepNames) wraps named functions in __name(); give the page one (as masks.bench.ts does)
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.route(`${origin}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ body: '<!doctype html><title>bench</title>', contentType: 'text/html' });
    const file = path.startsWith('/ort/') ? join(ortDist, path.slice(5)) : join(bundleDir, path.slice(1));
    const contentType = file.endsWith('.mjs') ? 'text/javascript' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return route.fulfill({ body: readFileSync(file), contentType });
  });
  await page.goto(`${origin}/`);
  return page;
}
