import { StudioError } from '../errors.ts';

/** Artefacts a reviewer can tag, in the order of their number keys in review mode. */
export const ARTEFACT_TAGS = ['text burned in', 'anatomy wrong', 'mask ignored', 'blurry or noisy', 'implausible finding'] as const;

export type FindingPresent = 'yes' | 'no' | 'unsure';
export type Decision = 'accept' | 'reject';

/** One reviewer's judgement of one generated image. */
export interface Review {
  imageId: string;
  reviewer: string;
  /** 1 (clearly synthetic) to 5 (indistinguishable from real); null when not given. */
  realism: number | null;
  /** Is the prompted finding visible as prompted? */
  findingPresent: FindingPresent | null;
  artefacts: string[];
  comment: string;
  decision: Decision;
  reviewedAt: string;
}

export const REVIEWS_FORMAT = 'cxr-studio-reviews/1';

export interface ReviewsFile {
  format: typeof REVIEWS_FORMAT;
  exported: string;
  reviews: Review[];
}

export function reviewsFile(reviews: readonly Review[], exported = new Date()): ReviewsFile {
  return { format: REVIEWS_FORMAT, exported: exported.toISOString(), reviews: [...reviews] };
}

function fail(path: string, expected: string, received: unknown): never {
  throw new StudioError('labels-invalid', `reviews file: ${path} should be ${expected}, received ${JSON.stringify(received)}`);
}

function checkReview(value: unknown, i: number): Review {
  const at = `reviews[${i}]`;
  if (typeof value !== 'object' || value === null) fail(at, 'an object', value);
  const r = value as Record<string, unknown>;
  if (typeof r.imageId !== 'string' || !r.imageId) fail(`${at}.imageId`, 'a non-empty string', r.imageId);
  if (typeof r.reviewer !== 'string') fail(`${at}.reviewer`, 'a string', r.reviewer);
  if (!(r.realism === null || (Number.isInteger(r.realism) && (r.realism as number) >= 1 && (r.realism as number) <= 5))) fail(`${at}.realism`, 'an integer 1-5 or null', r.realism);
  if (!(r.findingPresent === null || r.findingPresent === 'yes' || r.findingPresent === 'no' || r.findingPresent === 'unsure')) fail(`${at}.findingPresent`, '"yes", "no", "unsure" or null', r.findingPresent);
  if (!Array.isArray(r.artefacts) || !r.artefacts.every((t) => typeof t === 'string')) fail(`${at}.artefacts`, 'a list of strings', r.artefacts);
  if (typeof r.comment !== 'string') fail(`${at}.comment`, 'a string', r.comment);
  if (r.decision !== 'accept' && r.decision !== 'reject') fail(`${at}.decision`, '"accept" or "reject"', r.decision);
  if (typeof r.reviewedAt !== 'string' || Number.isNaN(Date.parse(r.reviewedAt))) fail(`${at}.reviewedAt`, 'an ISO date', r.reviewedAt);
  return {
    imageId: r.imageId as string, reviewer: r.reviewer as string, realism: r.realism as number | null,
    findingPresent: r.findingPresent as FindingPresent | null, artefacts: [...(r.artefacts as string[])],
    comment: r.comment as string, decision: r.decision as Decision, reviewedAt: r.reviewedAt as string,
  };
}

/** Reads an exported reviews file, naming the first field that is wrong. */
export function parseReviewsFile(text: string): Review[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StudioError('labels-invalid', `reviews file: not JSON (${(error as Error).message})`);
  }
  const file = data as Partial<ReviewsFile> | null;
  if (file?.format !== REVIEWS_FORMAT) fail('format', `"${REVIEWS_FORMAT}"`, file?.format);
  if (!Array.isArray(file.reviews)) fail('reviews', 'a list', file.reviews);
  return file.reviews.map(checkReview);
}

/** The newest review of each image (any reviewer), by reviewedAt. */
export function latestReviewPerImage(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    const seen = latest.get(review.imageId);
    if (!seen || review.reviewedAt > seen.reviewedAt) latest.set(review.imageId, review);
  }
  return latest;
}
