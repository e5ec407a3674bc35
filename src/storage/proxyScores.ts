import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Judge } from '../core/curation/judges.ts';
import type { ScoredImage } from '../core/curation/proxyScore.ts';

/**
 * Proxy scores of generated images, per image and judge. `bundle` is the judge's key
 * (`judgeKey`: the bundle id when its own classifier and segmenter scored); `judge`
 * names both models, and is absent from scores saved before it was kept.
 */
export interface StoredProxyScore {
  imageId: string;
  bundle: string;
  judge?: Judge;
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

/** One judge's scores (by its key), with the classifier features the quality experiment and FID use. */
export async function listProxyScores(judgeKey: string): Promise<StoredProxyScore[]> {
  return (await open()).getAllFromIndex('scores', 'bundle', judgeKey);
}

/**
 * Every other judge's scores, for comparison only: read one at a time and kept without
 * their features, so a large gallery scored by several judges does not hold every
 * judge's feature vectors in memory.
 */
export async function listOtherJudgesScores(judgeKey: string): Promise<StoredProxyScore[]> {
  const others: StoredProxyScore[] = [];
  for (let cursor = await (await open()).transaction('scores').store.openCursor(); cursor; cursor = await cursor.continue()) {
    if (cursor.value.bundle === judgeKey) continue;
    const score = { ...cursor.value.score };
    delete score.features;
    others.push({ ...cursor.value, score });
  }
  return others;
}

export async function saveProxyScore(score: StoredProxyScore): Promise<void> {
  await (await open()).put('scores', score);
}

/** Every bundle's score of one image (keys [imageId, bundle]), as the image is deleted. */
export async function deleteProxyScoresOf(imageId: string): Promise<void> {
  await (await open()).delete('scores', IDBKeyRange.bound([imageId, ''], [imageId, '\uffff']));
}
