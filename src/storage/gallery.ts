import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Provenance } from '../core/pipelines/provenance.ts';
import { deleteProxyScoresOf } from './proxyScores.ts';
import { deleteReviewsOf } from './reviews.ts';

/** One generated image as kept in the browser: the PNG itself, its provenance and its conditioning mask. */
export interface GalleryEntry {
  id: string;
  createdAt: number;
  png: Blob;
  side: number;
  /** 0/1 conditioning mask at model resolution, for the outline toggle. */
  mask?: Uint8Array;
  provenance: Provenance;
}

interface GallerySchema extends DBSchema {
  images: { key: string; value: GalleryEntry; indexes: { createdAt: number } };
}

const DB_NAME = 'cxr-studio-gallery';

let db: Promise<IDBPDatabase<GallerySchema>> | undefined;

function open(): Promise<IDBPDatabase<GallerySchema>> {
  db ??= openDB<GallerySchema>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('images', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    },
  });
  return db;
}

/** Every saved image, oldest first. */
export async function listGallery(): Promise<GalleryEntry[]> {
  return (await open()).getAllFromIndex('images', 'createdAt');
}

/** Saved one at a time as each image finishes, so a cancelled or failed batch keeps what it made. */
export async function saveGalleryEntry(entry: GalleryEntry): Promise<void> {
  await (await open()).put('images', entry);
}

/**
 * Delete an image and everything stored about it: its proxy scores (every
 * bundle) and its reviews. They live in their own databases, so the image goes
 * last: if a step fails the image is still listed and deleting it again
 * finishes the job, instead of scores and reviews outliving it unseen.
 */
export async function deleteGalleryEntry(id: string): Promise<void> {
  await Promise.all([deleteProxyScoresOf(id), deleteReviewsOf(id)]);
  await (await open()).delete('images', id);
}
