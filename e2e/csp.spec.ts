import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataMissing, DATA_SKIP_MESSAGE, expect, IMAGE, openStudio, test, waitForModels } from './fixtures.ts';

const PAGES = ['analyze', 'models', 'generate', 'masks', 'evaluate', 'curate'];

test.describe('Content-Security-Policy', () => {
  test.skip(dataMissing, DATA_SKIP_MESSAGE);

  test('the studio analyzes an X-ray on WASM under the strict policy with no violation', async ({ page }) => {
    const violations: string[] = [];
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} ${message.location().url}`);
    });
    await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
      });
    });

    const response = await page.goto('/');
    const header = response!.headers()['content-security-policy'];
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(readFileSync(resolve(import.meta.dirname, '../index.html'), 'utf8'))![1];
    expect(header).toContain(meta);
    for (const policy of [header, await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')]) {
      expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(policy).not.toContain("'unsafe-eval'");
      expect(policy).not.toContain("'unsafe-inline'");
    }

    await openStudio(page, 'wasm');
    await waitForModels(page);
    await expect(page.getByTestId('backend-status')).toContainText(/WASM — \d+ threads?/);
    await expect(page.getByTestId('backend-status')).not.toContainText('not cross-origin isolated');
    await page.getByLabel('Open X-ray').setInputFiles(IMAGE);
    await expect(page.getByTestId('probabilities')).toBeVisible({ timeout: 60_000 });
    for (const route of PAGES) {
      await page.goto(`/#/${route}`);
      await expect(page.getByRole('link', { name: new RegExp(route, 'i') })).toHaveAttribute('aria-current', 'page');
    }
    expect(violations, 'CSP violations').toEqual([]);
    expect(consoleErrors, 'console errors').toEqual([]);

    // The listener works and the policies are in force: an inline script is refused
    // (one report per policy: the header's and the meta tag's).
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
    });
    await expect.poll(() => violations.length).toBe(2);
    for (const violation of violations) expect(violation).toMatch(/^script-src(-elem)? blocked inline/);
    expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
  });
});
