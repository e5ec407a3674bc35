import { axeViolations, expect, openStudio, test } from './fixtures.ts';

const PAGES = ['analyze', 'models', 'generate', 'masks', 'evaluate', 'curate'] as const;

// Every page as it opens, in both schemes. The pages with results (Analyze, Evaluate, Generate,
// Curate after their example data) are checked by e2e/examples.spec.ts with expectAccessible.
test.describe('Accessibility (axe-core, WCAG 2.1 AA)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every page as it opens, ${scheme} scheme`, async ({ page }) => {
      test.setTimeout(300_000);
      await page.emulateMedia({ colorScheme: scheme });
      await openStudio(page, 'wasm');
      const found: string[] = [];
      for (const route of PAGES) {
        await page.goto(`/#/${route}`);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        found.push(...(await axeViolations(page)).map((v) => `${route}: ${v}`));
      }
      expect(found).toEqual([]);
    });
  }
});
