import { decode } from 'fast-png';
import { expect, openStudio, test } from './fixtures.ts';

type Rgb = [number, number, number];

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two colours. */
function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test.describe('Dark colour scheme', () => {
  test('a light-variant button keeps a tinted background and readable text in its colour', async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openStudio(page, 'wasm', 'evaluate');
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    const button = page.getByTestId('try-example');
    await expect(button).toBeEnabled({ timeout: 60_000 });
    await expect(button).toHaveAttribute('data-variant', 'light');
    await page.screenshot({ path: testInfo.outputPath('dark-evaluate.png') });

    const shot = decode(await button.screenshot({ animations: 'disabled' }));
    // a pixel of the button's left padding: background only, away from the text and the rounded corners
    const at = (x: number, y: number): Rgb => {
      const i = (y * shot.width + x) * shot.channels;
      return [shot.data[i], shot.data[i + 1], shot.data[i + 2]];
    };
    const background = at(6, shot.height >> 1);
    const page_ = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const text = await button.evaluate((el) => getComputedStyle(el).color);
    const rgb = (css: string) => css.match(/\d+/g)!.slice(0, 3).map(Number) as Rgb;
    console.log(`dark: page ${page_}, light button background rgb(${background.join(', ')}), text ${text}`);

    expect(luminance(background), 'the button stands out from the page').toBeGreaterThan(luminance(rgb(page_)) * 1.5);
    expect(background[2] - background[0], 'its background is tinted with the primary colour (blue)').toBeGreaterThan(30);
    const [r, , b] = rgb(text);
    expect(b - r, 'its text keeps the button colour, as in the light scheme').toBeGreaterThan(60);
    expect(contrast(rgb(text), background), 'text contrast (WCAG AA: 4.5)').toBeGreaterThan(4.5);
  });
});
