import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { cxr256 } from '../cli/testing/shared.ts';

export const DATA = cxr256('shenzhen_tb_lungseg');
/** A Shenzhen test-split image and its ground-truth lung mask. */
export const IMAGE = resolve(DATA, 'images/CHNCXR_0304_0.png');
export const MASK = resolve(DATA, 'masks/CHNCXR_0304_0.png');
export const dataMissing = !existsSync(IMAGE) || !existsSync(MASK);
export const DATA_SKIP_MESSAGE = `real X-rays not found at ${DATA} (shared data is not part of a clone)`;

/**
 * Every test records every request made by the page and its workers and
 * checks that none leaves the page's origin: the studio must run offline.
 */
export const test = base.extend<{ offsite: string[] }>({
  offsite: [async ({ context, baseURL }, provide) => {
    const origin = new URL(baseURL!).origin;
    const offsite: string[] = [];
    const seen: string[] = [];
    context.on('request', (request) => {
      const url = request.url();
      seen.push(url);
      if (!url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).origin !== origin) offsite.push(url);
    });
    await provide(offsite);
    expect(seen.length, 'the test made requests').toBeGreaterThan(0);
    expect(offsite, 'requests that left the page origin').toEqual([]);
  }, { auto: true }],
});

export { expect };

/** Largest and mean absolute difference of two images' pixel values (same length). */
export function comparePixels(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.length };
}

export async function openStudio(page: Page, backend: 'wasm' | 'webgpu' | 'auto', route = 'analyze'): Promise<void> {
  await page.addInitScript((b) => {
    if (!sessionStorage.getItem('cxr-e2e-init')) {
      sessionStorage.setItem('cxr-e2e-init', '1');
      localStorage.setItem('cxr-studio-settings', JSON.stringify({ state: { backend: b, variant: 'fp32' }, version: 1 }));
    }
  }, backend);
  await page.goto(`/#/${route}`);
}

/**
 * Two 2-step tuberculosis images on WASM, conditioned on the bundle's Shenzhen mean mask (seeds 11
 * and 12): the small generated set that the Curate and batch-export specs start from.
 */
export async function generateTwoExampleImages(page: Page): Promise<void> {
  await openStudio(page, 'wasm', 'generate');
  await expect(page.getByTestId('generator-state')).toHaveText('Generator ready', { timeout: 600_000 });
  await page.getByLabel('Prompt', { exact: true }).fill('chest x-ray, tuberculosis, adult');
  await page.getByLabel('Mask', { exact: true }).selectOption('example:examples/lung_mean_shenzhen.png');
  await page.getByLabel('Steps', { exact: true }).fill('2');
  await page.getByLabel('Seed', { exact: true }).fill('11');
  await page.getByLabel('Batch size', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('gallery-count')).toHaveText('2', { timeout: 300_000 });
}

export async function waitForModels(page: Page): Promise<void> {
  await expect(page.getByTestId('models-state')).toHaveText('Models ready', { timeout: 180_000 });
}

/** The current analysis as the page holds it (see src/main.tsx). */
export async function readAnalysis(page: Page) {
  return page.evaluate(() => {
    const state = (window as unknown as { cxrStudio: { analysis: () => { result?: { segmentation?: { channels: { name: string; probabilities: Float32Array; mask: Uint8Array }[] }; classification?: { classes: string[]; probabilities: number[] } } } } }).cxrStudio.analysis();
    const channel = state.result?.segmentation?.channels[0];
    return {
      probabilities: channel ? Array.from(channel.probabilities) : undefined,
      mask: channel ? Array.from(channel.mask) : undefined,
      classes: state.result?.classification?.classes,
      classProbabilities: state.result?.classification?.probabilities,
    };
  });
}

/** The own-model form (Models and Evaluate pages share it) filled with cxr-studio-v1's segmenter values, as a user would describe it. */
export async function describeOwnSegmenter(form: Locator, file: string, outputName = 'logits'): Promise<void> {
  await pickOwnModel(form, file);
  // role, size, channels and channel order: read from the file
  await form.getByLabel('Scale').fill(String(1 / 255));
  await form.getByLabel('Offset', { exact: true }).fill('0');
  await form.getByLabel('Output activation').selectOption('sigmoid');
  await form.getByLabel('Mask threshold').fill('0.5');
  await form.getByLabel('Class names / mask channels').fill('lung, lung_shenzhen');
  await form.getByLabel('Input name').fill('image');
  await form.getByLabel('Output name').fill(outputName);
}

/** On the Models page: `file` as the user's own segmenter, with cxr-studio-v1's segmenter values, loaded into the analysis worker. */
export async function loadOwnSegmenter(page: Page, file: string): Promise<void> {
  await page.getByRole('link', { name: 'Models' }).click();
  const form = page.getByRole('form', { name: 'Load your own model' });
  await describeOwnSegmenter(form, file);
  await form.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByTestId('user-model-message')).toContainText(`${basename(file)} is now the segmenter`, { timeout: 120_000 });
}

/** Pick an ONNX file in an own-model form and wait until the form has read what the file declares, or said that it cannot. */
export async function pickOwnModel(form: Locator, file: string): Promise<Locator> {
  await form.getByLabel('ONNX file').setInputFiles(file);
  const report = form.getByTestId('user-model-declared');
  await expect(report).toHaveAttribute('data-state', /^(read|failed)$/, { timeout: 60_000 });
  return report;
}

/**
 * The own-model form filled with the normal-vs-abnormal test classifier (testdata/user-models: the
 * shipped int8 classifier with one abnormal logit, ImageNet input), as a user would describe it.
 */
export async function describeOwnBinaryClassifier(form: Locator, file: string, activation: 'sigmoid' | 'softmax' = 'sigmoid'): Promise<void> {
  await pickOwnModel(form, file);
  await form.getByLabel('Normalization').selectOption('imagenet');
  await form.getByLabel('Output activation').selectOption(activation);
  await form.getByLabel('Class names / mask channels').fill('normal, abnormal');
  await form.getByLabel('Output name').fill('abnormal_logit');
}

/** On the Curate page: score the whole gallery with the proxy model and set thresholds that keep all `count` images. */
export async function scoreAndKeepAll(page: Page, count: number): Promise<void> {
  await page.goto('/#/curate');
  const score = page.getByRole('button', { name: 'Score with the proxy model' });
  await expect(score).toBeEnabled({ timeout: 180_000 });
  await score.click();
  await expect(page.locator('[data-testid="curate-item"][data-verdict="unscored"]')).toHaveCount(0, { timeout: 180_000 });
  await page.getByLabel('Min. probability of the prompted finding').fill('0');
  await page.getByLabel('Min. mask Dice (mask-conditioned images)').fill('0');
  await expect(page.locator('[data-testid="curate-item"][data-verdict="kept"]')).toHaveCount(count);
}

const SCREENSHOTS = resolve(import.meta.dirname, '../docs/screenshots');

/**
 * The README's screenshot of a page (docs/screenshots/<name>.png), taken by the spec that
 * has just brought the page to its finished state, so every e2e run refreshes it from the
 * current build. Always 1280 px wide, light scheme, animations stopped, caret hidden; the
 * whole page, or (`fullPage: false`) the top 1280x900 as the README's hero shot. The
 * test's own viewport comes back afterwards.
 *
 * `height`: the viewport's height for the shot. Chromium paints a scrollable box's content only
 * near the viewport, so in a full-page shot one that lies below the first 900 px (the Models
 * page's model card) comes out blank: give such a page a viewport as tall as itself.
 */
export async function saveScreenshot(page: Page, name: string, { fullPage = true, height = 900 } = {}): Promise<void> {
  const viewport = page.viewportSize();
  // the status bar's offline note settles once the service worker has stored the app
  await expect(page.getByTestId('offline-status')).not.toHaveAttribute('data-shell', 'installing', { timeout: 60_000 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height });
  await page.evaluate(async () => {
    await document.fonts.ready;
    window.scrollTo(0, 0);
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled', caret: 'hide' });
  if (viewport) await page.setViewportSize(viewport);
}

/** axe-core's WCAG 2.1 A and AA rules on the page as it stands, one line per failing element: "rule (impact): target: why". */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`));
}

/**
 * The page as it stands passes axe-core's WCAG 2.1 AA rules in the dark and the light scheme (the
 * scheme follows the system here), and reflows into a 320 px window (reflowProblems); it is left
 * light, at the size it had.
 */
export async function expectAccessible(page: Page): Promise<void> {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', colorScheme);
    expect(await axeViolations(page), `WCAG 2.1 AA, ${colorScheme} scheme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await reflowProblems(page), 'WCAG 2.1 1.4.10 Reflow at 320 px').toEqual([]);
  if (size) await page.setViewportSize(size);
}

/**
 * WCAG 2.1 1.4.10 Reflow: what sticks out of the window sideways, at most five elements. A wide
 * table may scroll inside its own box (an ancestor that scrolls sideways and itself fits); nothing
 * else may leave the window.
 */
export async function reflowProblems(page: Page): Promise<string[]> {
  // one frame for the layout to follow a viewport change
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollsSideways = (e: Element) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    const outside = [...document.querySelectorAll('body *')]
      .filter((e) => {
        const box = e.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 1) return false;
        for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
          if (scrollsSideways(up)) return up.getBoundingClientRect().right > width + 1;
        }
        return true;
      })
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.getAttribute('aria-label') ? `[${e.getAttribute('aria-label')}]` : ''}.${String(e.className).split(' ')[0]} to ${Math.round(e.getBoundingClientRect().right)} px`);
    const pageWidth = document.documentElement.scrollWidth;
    return pageWidth > width ? [`the page is ${pageWidth} px wide`, ...outside] : outside;
  });
}
