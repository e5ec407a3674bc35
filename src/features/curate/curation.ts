import { proxyKeeps } from '../../core/curation/proxyFilter.ts';
import { latestReviewPerImage, type Review } from '../../core/curation/review.ts';
import type { GalleryEntry } from '../../storage/gallery.ts';
import type { ScoredImage } from './curateStore.ts';
import type { ProxyThresholds } from '../../core/curation/proxyFilter.ts';

export type ProxyVerdict = 'kept' | 'rejected' | 'unscored';

export function proxyVerdict(score: ScoredImage | undefined, thresholds: ProxyThresholds): ProxyVerdict {
  if (!score) return 'unscored';
  return proxyKeeps(score, thresholds) ? 'kept' : 'rejected';
}

/**
 * What goes into the exported training set: images the proxy filter keeps and
 * no reviewer's latest review rejects (a reviewer's accept does not override the
 * filter: lower the threshold for that).
 */
export function exportable(entries: readonly GalleryEntry[], scores: Record<string, ScoredImage>, thresholds: ProxyThresholds, reviews: readonly Review[]): GalleryEntry[] {
  const latest = latestReviewPerImage(reviews);
  return entries.filter((e) => proxyVerdict(scores[e.id], thresholds) === 'kept' && latest.get(e.id)?.decision !== 'reject');
}
