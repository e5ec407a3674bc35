import { axeViolations, expect, openStudio, reflowProblems, test } from './fixtures.ts';

const PAGES = ['analyze', 'models', 'generate', 'masks', 'evaluate', 'curate'] as const;

// Every page as it opens, in both schemes. The pages with results (Analyze, Evaluate, Generate,
// Curate after their example data, Curate's review mode, the mask editor, the model card) are
// checked where their tests finish, with expectAccessible.
test('Accessibility (axe-core, WCAG 2.1 AA): every page as it opens, light and dark', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page, 'wasm');
  const found: string[] = [];
  for (const route of PAGES) {
    await page.goto(`/#/${route}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', colorScheme);
      found.push(...(await axeViolations(page)).map((v) => `${route}, ${colorScheme}: ${v}`));
    }
  }
  expect(found).toEqual([]);
});

// WCAG 2.1 1.4.10 Reflow: at 320 CSS px wide (a phone, or 1280 px zoomed to 400%) every page
// reads without scrolling sideways (reflowProblems). expectAccessible checks the same in the
// finished states.
test('Reflow (WCAG 2.1 1.4.10): every page fits a 320 px window, wide tables scroll in their own box', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await openStudio(page, 'wasm');
  const found: string[] = [];
  for (const route of PAGES) {
    await page.goto(`/#/${route}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    found.push(...(await reflowProblems(page)).map((problem) => `${route}: ${problem}`));
  }
  expect(found).toEqual([]);
});
