import { axeViolations, expect, openStudio, test } from './fixtures.ts';

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
