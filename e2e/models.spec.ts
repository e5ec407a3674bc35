import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, expectAccessible, openStudio, pickOwnModel, saveScreenshot, test } from './fixtures.ts';

const index: string[] = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models/index.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/models', index[0], 'manifest.json'), 'utf8'));
const cardSource = readFileSync(resolve(import.meta.dirname, '../public/models', manifest.id, manifest.card), 'utf8');

test.describe('Models page', () => {
  test('the built-in bundle with its model card rendered from markdown, without inline styles; a picked own model fills the form', async ({ page }) => {
    await openStudio(page, 'wasm', 'models');
    const bundle = page.getByTestId(`bundle-${manifest.id}`);
    await expect(bundle).toBeVisible();
    await expect(bundle.getByText('In use on every page')).toBeVisible();
    await bundle.getByRole('button', { name: 'Model card' }).click();
    const card = bundle.getByTestId('model-card');
    // the card's first line is its title: a heading, not a line of text starting with '#'
    const title = /^# (.+)$/m.exec(cardSource)![1];
    await expect(card.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(card.getByRole('heading', { level: 2 }).first()).toBeVisible();
    await expect(card).not.toContainText('## ');
    await expect(card).not.toContainText('|---');
    // its GFM tables are tables: the one of model files names every file of the bundle
    const files = card.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'file', exact: true }) });
    for (const variant of Object.values(manifest.models).flatMap((m) => Object.values((m as { variants: Record<string, { file: string }> }).variants))) {
      await expect(files.getByRole('cell', { name: variant.file, exact: true })).toBeVisible();
    }
    // the CSP refuses style attributes (style-src 'self'): the rendered card carries none
    await expect(card.locator('[style]')).toHaveCount(0);
    // the README's picture shows the own-model form as a picked file fills it
    const form = page.getByRole('form', { name: 'Load your own model' });
    await expect(await pickOwnModel(form, resolve(import.meta.dirname, '../testdata/user-models/segmenter-nhwc.int8.onnx'))).toContainText('channels last');
    await saveScreenshot(page, 'models', { height: 1900 });
    await expectAccessible(page);
  });
});
