import type { Page } from '@playwright/test';
import { expect, openStudio, test } from './fixtures.ts';

/**
 * Deleting a gallery image deletes what is stored about it (issue 20): its
 * proxy scores (every bundle) and its reviews, in the browser's real
 * IndexedDB; another image's records stay. The records are written with the
 * same database names and keys the studio uses (src/storage/).
 */
async function seed(page: Page) {
  await page.evaluate(async () => {
    const open = (name: string, store: string, keyPath: string | string[], index: [string, string]) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(store, { keyPath }).createIndex(index[0], index[1]);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const put = (db: IDBDatabase, store: string, values: unknown[]) =>
      new Promise<void>((resolve, reject) => {
        const tx = db.transaction(store, 'readwrite');
        for (const v of values) tx.objectStore(store).put(v);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    const canvas = new OffscreenCanvas(8, 8);
    canvas.getContext('2d')!.fillRect(0, 0, 4, 4);
    const png = await canvas.convertToBlob({ type: 'image/png' });
    const entry = (id: string, seed: number) => ({
      id, createdAt: seed, png, side: 8,
      provenance: { prompt: `test image ${id}`, seed, steps: 20, guidance: 5, scheduler: 'ddim', model: { id: 'cxr-studio-v1' } },
    });
    const gallery = await open('cxr-studio-gallery', 'images', 'id', ['createdAt', 'createdAt']);
    await put(gallery, 'images', [entry('doomed', 1), entry('kept', 2)]);
    const scores = await open('cxr-studio-proxy-scores', 'scores', ['imageId', 'bundle'], ['bundle', 'bundle']);
    await put(scores, 'scores', ['doomed', 'kept'].flatMap((imageId) => ['cxr-studio-v1', 'reference-v0'].map((bundle) => ({ imageId, bundle, score: {} }))));
    const reviews = await open('cxr-studio-reviews', 'reviews', ['imageId', 'reviewer'], ['imageId', 'imageId']);
    await put(reviews, 'reviews', ['doomed', 'kept'].flatMap((imageId) => ['ann', 'bob'].map((reviewer) => ({ imageId, reviewer, realism: 3, findingPresent: null, artefacts: [], comment: '', decision: 'keep', reviewedAt: '2026-12-04' }))));
    for (const db of [gallery, scores, reviews]) db.close();
  });
}

async function stored(page: Page) {
  return page.evaluate(async () => {
    const all = (name: string, store: string) =>
      new Promise<Array<{ imageId?: string; id?: string }>>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => {
          const get = request.result.transaction(store).objectStore(store).getAll();
          get.onsuccess = () => {
            request.result.close();
            resolve(get.result);
          };
          get.onerror = () => reject(get.error);
        };
        request.onerror = () => reject(request.error);
      });
    const ids = (rows: Array<{ imageId?: string; id?: string }>) => rows.map((r) => r.imageId ?? r.id).sort();
    return {
      images: ids(await all('cxr-studio-gallery', 'images')),
      scores: ids(await all('cxr-studio-proxy-scores', 'scores')),
      reviews: ids(await all('cxr-studio-reviews', 'reviews')),
    };
  });
}

test('deleting a gallery image deletes its proxy scores and reviews, and only its own', async ({ page }) => {
  await openStudio(page, 'wasm', 'generate');
  await seed(page);
  await page.reload();
  const doomed = page.getByTestId('gallery-item').filter({ hasText: 'test image doomed' });
  await expect(doomed).toBeVisible();
  expect(await stored(page)).toEqual({ images: ['doomed', 'kept'], scores: ['doomed', 'doomed', 'kept', 'kept'], reviews: ['doomed', 'doomed', 'kept', 'kept'] });
  await doomed.getByRole('button', { name: 'Delete' }).click();
  await expect(doomed).toHaveCount(0);
  await expect.poll(() => stored(page)).toEqual({ images: ['kept'], scores: ['kept', 'kept'], reviews: ['kept', 'kept'] });
});
