import { describe, expect, it } from 'vitest';
import { latestReviewPerImage, parseReviewsFile, reviewsFile, type Review } from './review.ts';

const REVIEW: Review = {
  imageId: 'a', reviewer: 'Dr. R', realism: 4, findingPresent: 'yes', artefacts: ['mask ignored'],
  comment: 'fine', decision: 'accept', reviewedAt: '2026-11-26T10:00:00.000Z',
};

describe('reviews file', () => {
  it('round-trips through JSON', () => {
    const text = JSON.stringify(reviewsFile([REVIEW, { ...REVIEW, imageId: 'b', realism: null, findingPresent: null, decision: 'reject' }]));
    expect(parseReviewsFile(text)).toEqual([REVIEW, { ...REVIEW, imageId: 'b', realism: null, findingPresent: null, decision: 'reject' }]);
  });
  it('names the wrong field', () => {
    const bad = JSON.stringify(reviewsFile([{ ...REVIEW, realism: 6 }]));
    expect(() => parseReviewsFile(bad)).toThrow('reviews[0].realism should be an integer 1-5 or null, received 6');
    expect(() => parseReviewsFile('{"format":"other"}')).toThrow('format should be "cxr-studio-reviews/1", received "other"');
    expect(() => parseReviewsFile('not json')).toThrow('reviews file: not JSON');
  });
  it('keeps the newest review per image', () => {
    const older = { ...REVIEW, decision: 'reject' as const, reviewedAt: '2026-11-25T10:00:00.000Z' };
    expect(latestReviewPerImage([REVIEW, older]).get('a')).toEqual(REVIEW);
    expect(latestReviewPerImage([older, REVIEW]).get('a')).toEqual(REVIEW);
  });
});
