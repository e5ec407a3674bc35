import { unzipSync } from 'fflate';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dataMissing, DATA_SKIP_MESSAGE, describeOwnBinaryClassifier, expect, generateTwoExampleImages, loadOwnSegmenter, scoreAndKeepAll, test } from './fixtures.ts';

// A second judge: the bundle's int8 segmenter loaded as the user's own model stands in for an
// independent segmenter (a different file and different numbers, the same channels).
const OWN = resolve(import.meta.dirname, '../public/models/cxr-studio-v1/segmenter.int8.onnx');
// A normal-vs-abnormal classifier: the shipped int8 classifier with one abnormal logit (scripts/make_user_model_fixtures.py).
const BINARY = resolve(import.meta.dirname, '../testdata/user-models/classifier-imagenet.int8.onnx');
const BUNDLE = 'cxr-studio-v1';
const MIXED = `${BUNDLE} + segmenter.int8.onnx`;

test.describe('Curate with more than one judge', () => {
  test.skip(dataMissing || !existsSync(OWN), DATA_SKIP_MESSAGE);

  test('an own segmenter scores the gallery under its own name, the judges are compared and keep their scores, and a normal-vs-abnormal classifier is asked for "abnormal"', async ({ page }) => {
    test.setTimeout(900_000);
    await generateTwoExampleImages(page);
    await scoreAndKeepAll(page, 2);
    await expect(page.getByTestId('curate-judge')).toHaveText(`Judge: ${BUNDLE} (classifier and segmenter)`);
    await expect(page.getByTestId('judges-one')).toContainText('Scored by one judge');

    // The own segmenter, loaded on the Models page: Curate sees a new judge with nothing scored.
    await loadOwnSegmenter(page, OWN);
    await page.getByRole('link', { name: 'Curate' }).click();
    await expect(page.getByTestId('curate-judge')).toHaveText(`Judge: classifier ${BUNDLE}, segmenter segmenter.int8.onnx`);
    await expect(page.getByText('2 not scored yet by this judge')).toBeVisible();
    await expect(page.locator('[data-testid="curate-item"][data-verdict="unscored"]')).toHaveCount(2);
    await page.getByRole('button', { name: 'Score with the proxy model' }).click();
    await expect(page.locator('[data-testid="curate-item"][data-verdict="kept"]')).toHaveCount(2, { timeout: 180_000 });

    // Both judges on the same two images: one classifier, so the same prompt adherence; two segmenters, close Dice.
    const judges = page.getByTestId('judges');
    await expect(judges.locator('tbody tr')).toHaveCount(2);
    await expect(judges.locator('tbody tr').first()).toHaveAttribute('data-judge', MIXED);
    await expect(judges).toContainText('The 2 images (of 2) that every judge scored');
    const cells = async (key: string) => judges.locator(`tr[data-judge="${key}"] td`).allTextContents();
    const [mixed, bundle] = [await cells(MIXED), await cells(BUNDLE)];
    expect(mixed[1], 'prompt adherence: the same classifier').toBe(bundle[1]);
    const dice = (row: string[]) => Number(row[3].split(' ')[0]);
    expect(Math.abs(dice(mixed) - dice(bundle)), 'mask adherence of the int8 and fp32 segmenters').toBeLessThan(0.02);
    expect(mixed[5]).toBe('—');
    expect(bundle[5]).toBe('100%');
    console.log(`mask adherence: own int8 segmenter ${dice(mixed)}, ${BUNDLE} ${dice(bundle)}; prompt adherence ${bundle[1]}`);

    // The export names the judge that kept the images.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export kept images (zip)' }).click()]);
    const files = unzipSync(new Uint8Array(await readFile(await download.path())));
    const provenance = JSON.parse(new TextDecoder().decode(files[Object.keys(files).find((n) => n.startsWith('provenance/'))!]));
    expect(provenance.proxy.judge).toEqual({ classifier: BUNDLE, segmenter: 'segmenter.int8.onnx' });

    // The built-in models again: their saved scores come back without scoring anything.
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'Use the built-in models again' }).click();
    await page.getByRole('link', { name: 'Curate' }).click();
    await expect(page.getByTestId('curate-judge')).toHaveText(`Judge: ${BUNDLE} (classifier and segmenter)`, { timeout: 120_000 });
    await expect(page.getByText('0 not scored yet by this judge')).toBeVisible();
    await expect(judges.locator('tbody tr').first()).toHaveAttribute('data-judge', BUNDLE);

    // A reload forgets the own model, not its scores.
    await page.reload();
    await expect(page.getByTestId('curate-judge')).toHaveText(`Judge: ${BUNDLE} (classifier and segmenter)`, { timeout: 180_000 });
    await expect(judges.locator('tbody tr')).toHaveCount(2);
    await expect(judges.locator(`tr[data-judge="${MIXED}"] td`).nth(3)).toHaveText(mixed[3]);

    // A normal-vs-abnormal classifier as a third judge: the tuberculosis prompt asks it for "abnormal".
    await page.getByRole('link', { name: 'Models' }).click();
    const form = page.getByRole('form', { name: 'Load your own model' });
    await form.getByRole('button', { name: 'Reset the fields' }).click();
    await describeOwnBinaryClassifier(form, BINARY);
    await form.getByRole('button', { name: 'Load model' }).click();
    await expect(page.getByTestId('user-model-message')).toContainText('classifier-imagenet.int8.onnx is now the classifier', { timeout: 120_000 });
    await page.getByRole('link', { name: 'Curate' }).click();
    const BINARY_JUDGE = `classifier-imagenet.int8.onnx + ${BUNDLE}`;
    await expect(page.getByTestId('curate-judge')).toHaveText(`Judge: classifier classifier-imagenet.int8.onnx, segmenter ${BUNDLE}`);
    await page.getByRole('button', { name: 'Score with the proxy model' }).click();
    await expect(page.locator('[data-testid="curate-item"][data-verdict="unscored"]')).toHaveCount(0, { timeout: 180_000 });
    await expect(judges.locator('tbody tr')).toHaveCount(3);
    const binary = await cells(BINARY_JUDGE);
    expect(binary[1], 'prompt adherence counts both images: the finding is read as "abnormal"').toMatch(/^(0|0\.5|1)\.?\d* \(2\)$/);
    expect(binary[3], 'the same segmenter as the bundle').toBe(bundle[3]);
    console.log(`normal-vs-abnormal judge: prompt adherence ${binary[1]}, mean p(abnormal) ${binary[2]}`);
  });
});
