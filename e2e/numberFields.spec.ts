import type { Locator } from '@playwright/test';
import { expect, openStudio, test } from './fixtures.ts';

/** Select all, delete, type key by key, leave the field: what a user does to change a number. */
async function retype(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press('Control+a');
  await field.press('Backspace');
  await expect(field).toHaveValue('');
  await field.pressSequentially(text);
}

test.describe('Number fields', () => {
  test('clear-and-type gives the number typed; out of range is flagged, clamped, and survives a reload; the die rolls a seed', async ({ page }) => {
    await openStudio(page, 'wasm', 'generate');
    const steps = page.getByLabel('Steps', { exact: true });
    const guidance = page.getByLabel('Guidance', { exact: true });
    const batch = page.getByLabel('Batch size', { exact: true });
    await expect(steps).toHaveValue('20');

    // a number field used to put 0 (or the old value) back on delete, so "12" over "20" read 2012
    await retype(steps, '12');
    await retype(guidance, '0.5');
    await expect(guidance).toHaveValue('0.5');
    await retype(batch, '40');
    await expect(page.getByText('Between 1 and 16; 16 is used')).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByText('Between 1 and 16; 16 is used')).toBeHidden();
    await expect(steps).toHaveValue('12');
    await expect(batch).toHaveValue('16');
    await expect(page.getByText('16 images, seeds 1234…1249')).toBeVisible();

    // a field left empty shows the last number again instead of 0
    await retype(steps, '');
    await page.keyboard.press('Tab');
    await expect(steps).toHaveValue('12');

    // the die draws itself (SVG): its emoji was an empty box on a machine without an emoji font
    const seed = page.getByLabel('Seed', { exact: true });
    const roll = page.getByRole('button', { name: 'Random seed' });
    await expect(roll.locator('svg')).toBeVisible();
    expect(await roll.textContent()).toBe('');
    await expect(seed).toHaveValue('1234');
    await roll.click();
    await expect(seed).not.toHaveValue('1234');
    const rolled = Number(await seed.inputValue());
    expect(Number.isInteger(rolled) && rolled >= 0 && rolled <= 0xffffffff).toBe(true);
    await expect(page.getByText(`16 images, seeds ${rolled}…${(rolled + 15) >>> 0}`)).toBeVisible();

    await page.reload();
    await expect(seed).toHaveValue(String(rolled));
    await expect(steps).toHaveValue('12');
    await expect(guidance).toHaveValue('0.5');
    await expect(batch).toHaveValue('16');

    // a probability threshold above 1 keeps 1, and says so while it is typed
    await page.goto('/#/curate');
    const minProbability = page.getByLabel('Min. probability of the prompted finding');
    await retype(minProbability, '0.35');
    await page.keyboard.press('Tab');
    await expect(minProbability).toHaveValue('0.35');
    await retype(minProbability, '1.5');
    await expect(page.getByText('Between 0 and 1; 1 is used')).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(minProbability).toHaveValue('1');
    await expect(minProbability).toHaveAttribute('aria-valuenow', '1');
  });
});
