// Makes docs/screenshot.png for the README: the Generate page after one image made
// from the bundle's example lung mask, with a negative prompt. Needs a build (`npx vite build`); starts its own
// preview server and Debian's chromium. Usage: npx tsx scripts/screenshot.ts
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const port = 4199;
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
try {
  await new Promise((r) => setTimeout(r, 3000));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1180 } });
  await page.addInitScript(() => localStorage.setItem('cxr-studio-settings', JSON.stringify({ state: { backend: 'wasm', variant: 'fp32' }, version: 1 })));
  await page.goto(`http://localhost:${port}/#/generate`);
  await page.getByTestId('generator-state').filter({ hasText: 'Generator ready' }).waitFor({ timeout: 600_000 });
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, tuberculosis, adult');
  await page.getByLabel('Negative prompt').fill('chest x-ray, pneumonia');
  await page.getByLabel('Mask', { exact: true }).selectOption({ index: 2 });
  await page.getByLabel('Steps', { exact: true }).fill('20');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByTestId('gallery-count').filter({ hasText: '1' }).waitFor({ timeout: 600_000 });
  await page.screenshot({ path: 'docs/screenshot.png' });
  await browser.close();
} finally {
  if (server.pid) process.kill(-server.pid);
}
