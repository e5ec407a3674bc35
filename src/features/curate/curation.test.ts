import { describe, expect, it } from 'vitest';
import type { Review } from '../../core/curation/review.ts';
import type { GalleryEntry } from '../../storage/gallery.ts';
import type { ScoredImage } from './curateStore.ts';
import { exportable, proxyVerdict } from './curation.ts';

const thresholds = { minFindingProbability: 0.5, minMaskDice: 0.8 };
const scored = (findingProbability: number, maskDice: number | null): ScoredImage => ({ findingClass: 'pneumonia', findingProbability, maskChannel: maskDice === null ? null : 'lung', maskDice, probabilities: {} });
const entry = (id: string) => ({ id }) as GalleryEntry;
const review = (imageId: string, decision: 'accept' | 'reject', reviewedAt: string): Review => ({ imageId, reviewer: 'R', realism: null, findingPresent: null, artefacts: [], comment: '', decision, reviewedAt });

describe('proxyVerdict', () => {
  it('is unscored without a score, else kept or rejected by the thresholds', () => {
    expect(proxyVerdict(undefined, thresholds)).toBe('unscored');
    expect(proxyVerdict(scored(0.6, 0.9), thresholds)).toBe('kept');
    expect(proxyVerdict(scored(0.6, 0.7), thresholds)).toBe('rejected');
  });
});

describe('exportable', () => {
  it('keeps what the filter keeps unless the latest review rejects it', () => {
    const entries = ['a', 'b', 'c', 'd', 'e'].map(entry);
    const scores = { a: scored(0.9, null), b: scored(0.9, null), c: scored(0.1, null), d: scored(0.9, 0.95) };
    const reviews = [review('b', 'accept', '2026-01-01'), review('b', 'reject', '2026-01-02'), review('c', 'accept', '2026-01-01'), review('d', 'reject', '2026-01-01'), review('d', 'accept', '2026-01-03')];
    expect(exportable(entries, scores, thresholds, reviews).map((e) => e.id)).toEqual(['a', 'd']);
  });
});
