// Screenshots of every page for the README, each showing a finished result made from the
// bundled example data (public/examples) or the bundle's example mask and prompts:
//   docs/screenshot.png             Generate: one tuberculosis image from the example lung mask, with a negative prompt
//   docs/screenshots/<page>.png     Analyze, Models, Generate, Masks, Evaluate, Curate
// Needs a build (`npx vite build`, or DIST=dist-x after `--outDir dist-x`); starts its own
// preview server and Debian's chromium. Usage: npx tsx scripts/screenshot.ts
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';

const port = Number(process.env.PORT ?? 4199);
const dist = process.env.DIST ?? 'dist';
const base = `http://localhost:${port}`;
const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });

async function waitForText(page: Page, testId: string, text: string | RegExp, timeout = 600_000) {
  await page.getByTestId(testId).filter({ hasText: text }).first().waitFor({ timeout });
}

const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--outDir', dist], { stdio: 'ignore', detached: true });
try {
  await new Promise((r) => setTimeout(r, 3000));
  mkdirSync('docs/screenshots', { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    if (!localStorage.getItem('cxr-studio-settings')) localStorage.setItem('cxr-studio-settings', JSON.stringify({ state: { backend: 'wasm', variant: 'fp32' }, version: 1 }));
  });

  // Analyze: an example X-ray with its ground-truth lung mask.
  await page.goto(`${base}/#/analyze`);
  await waitForText(page, 'models-state', 'Models ready');
  await page.getByTestId('try-example').click();
  await page.getByTestId('gt-dice').waitFor({ timeout: 120_000 });
  await shot(page, 'analyze');

  await page.goto(`${base}/#/models`);
  await page.waitForTimeout(1500);
  await shot(page, 'models');

  // Generate: the bundle's example mask and a prompt, 20 steps.
  await page.goto(`${base}/#/generate`);
  await waitForText(page, 'generator-state', 'Generator ready');
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, tuberculosis, adult');
  await page.getByLabel('Negative prompt').fill('chest x-ray, pneumonia');
  await page.getByLabel('Mask', { exact: true }).selectOption({ index: 2 });
  await page.getByLabel('Steps', { exact: true }).fill('20');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Generate' }).click();
  await waitForText(page, 'gallery-count', '1');
  await page.evaluate(() => window.scrollTo(0, 0)); // the Generate button sits low in the left panel: its click scrolled the page
  await page.screenshot({ path: 'docs/screenshot.png' });
  await shot(page, 'generate');

  // Masks: the bundle's mean Shenzhen lung mask as the starting point.
  await page.goto(`${base}/#/masks`);
  await page.getByLabel('Example mask').selectOption({ index: 2 });
  await page.waitForTimeout(2000);
  await shot(page, 'masks');

  // Evaluate: the example set (34 images, 14 lung masks) with the built-in models.
  await page.goto(`${base}/#/evaluate`);
  await page.getByTestId('try-example').click();
  await waitForText(page, 'eval-status', /· done/);
  await shot(page, 'evaluate');

  // Curate: an example batch generated and scored with the proxy model.
  await page.goto(`${base}/#/curate`);
  await page.getByTestId('try-example').click({ timeout: 120_000 });
  await page.locator('[data-testid="curate-item"]').nth(4).waitFor({ timeout: 600_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="curate-item"][data-verdict="unscored"]'), undefined, { timeout: 300_000 });
  await shot(page, 'curate');
  await browser.close();
} finally {
  if (server.pid) process.kill(-server.pid);
}
