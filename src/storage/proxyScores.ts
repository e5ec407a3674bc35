import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ScoredImage } from '../core/curation/proxyScore.ts';

/** Proxy scores of generated images, per image and the bundle whose classifier and segmenter made them. */
export interface StoredProxyScore {
  imageId: string;
  bundle: string;
  score: ScoredImage;
}

interface ProxyScoresSchema extends DBSchema {
  scores: { key: [string, string]; value: StoredProxyScore; indexes: { bundle: string } };
}

let db: Promise<IDBPDatabase<ProxyScoresSchema>> | undefined;

function open(): Promise<IDBPDatabase<ProxyScoresSchema>> {
  db ??= openDB<ProxyScoresSchema>('cxr-studio-proxy-scores', 1, {
    upgrade(database) {
      database.createObjectStore('scores', { keyPath: ['imageId', 'bundle'] }).createIndex('bundle', 'bundle');
    },
  });
  return db;
}

export async function listProxyScores(bundle: string): Promise<StoredProxyScore[]> {
  return (await open()).getAllFromIndex('scores', 'bundle', bundle);
}

export async function saveProxyScore(score: StoredProxyScore): Promise<void> {
  await (await open()).put('scores', score);
}

/** Every bundle's score of one image (keys [imageId, bundle]), as the image is deleted. */
export async function deleteProxyScoresOf(imageId: string): Promise<void> {
  await (await open()).delete('scores', IDBKeyRange.bound([imageId, ''], [imageId, '\uffff']));
}
