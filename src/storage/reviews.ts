import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Review } from '../core/curation/review.ts';

/** Reviews of generated images, one per (image, reviewer): a reviewer revising a review replaces it. */
interface ReviewsSchema extends DBSchema {
  reviews: { key: [string, string]; value: Review; indexes: { imageId: string } };
}

const DB_NAME = 'cxr-studio-reviews';

let db: Promise<IDBPDatabase<ReviewsSchema>> | undefined;

function open(): Promise<IDBPDatabase<ReviewsSchema>> {
  db ??= openDB<ReviewsSchema>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('reviews', { keyPath: ['imageId', 'reviewer'] }).createIndex('imageId', 'imageId');
    },
  });
  return db;
}

export async function listReviews(): Promise<Review[]> {
  return (await open()).getAll('reviews');
}

export async function saveReview(review: Review): Promise<void> {
  await (await open()).put('reviews', review);
}

/** Imported reviews replace the same reviewer's review of the same image; others are kept. */
export async function saveReviews(reviews: readonly Review[]): Promise<void> {
  const tx = (await open()).transaction('reviews', 'readwrite');
  await Promise.all([...reviews.map((r) => tx.store.put(r)), tx.done]);
}

/** Every reviewer's review of one image (keys [imageId, reviewer]), as the image is deleted. */
export async function deleteReviewsOf(imageId: string): Promise<void> {
  await (await open()).delete('reviews', IDBKeyRange.bound([imageId, ''], [imageId, '\uffff']));
}
