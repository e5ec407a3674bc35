import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { judgeKey, type Judge, type JudgeScores } from '../../core/curation/judges.ts';
import type { ProxyThresholds } from '../../core/curation/proxyFilter.ts';
import type { ScoredImage } from '../../core/curation/proxyScore.ts';
import type { FindingPresent, Review } from '../../core/curation/review.ts';
import type { GalleryEntry } from '../../storage/gallery.ts';

export type { ScoredImage };

/** The review being written in review mode, before accept/reject saves it. */
export interface ReviewDraft {
  realism: number | null;
  findingPresent: FindingPresent | null;
  artefacts: string[];
  comment: string;
}

export const EMPTY_DRAFT: ReviewDraft = { realism: null, findingPresent: null, artefacts: [], comment: '' };

interface CurateState {
  entries: GalleryEntry[];
  /** The classifier and segmenter in use, once they are loaded: `scores` are theirs. */
  judge?: Judge;
  scores: Record<string, ScoredImage>;
  /** Scores saved by other judges (another bundle, the user's own model), for comparison. */
  otherJudges: JudgeScores[];
  scoring?: { done: number; total: number };
  thresholds: ProxyThresholds;
  reviewer: string;
  reviews: Review[];
  /** Id of the image open in review mode, if any. */
  reviewing?: string;
  draft: ReviewDraft;
  message?: string;
  setEntries(entries: GalleryEntry[]): void;
  /** Another judge than before drops the scores in view; the caller loads the new judge's saved ones. */
  setJudge(judge: Judge): void;
  setOtherJudges(otherJudges: JudgeScores[]): void;
  setScore(id: string, score: ScoredImage): void;
  /** Saved scores, in one update; an image scored since is left as it is. */
  addSavedScores(saved: Record<string, ScoredImage>): void;
  setScoring(scoring: CurateState['scoring']): void;
  setThresholds(patch: Partial<ProxyThresholds>): void;
  setReviewer(reviewer: string): void;
  setReviews(reviews: Review[]): void;
  openReview(id: string | undefined, draft?: ReviewDraft): void;
  patchDraft(patch: Partial<ReviewDraft>): void;
  setMessage(message: string | undefined): void;
}

export const useCurate = create<CurateState>()(
  persist(
    (set) => ({
      entries: [],
      scores: {},
      otherJudges: [],
      thresholds: { minFindingProbability: 0.5, minMaskDice: 0.7 },
      reviewer: '',
      reviews: [],
      draft: EMPTY_DRAFT,
      setEntries: (entries) => set({ entries }),
      setJudge: (judge) => set((s) => (s.judge && judgeKey(s.judge) === judgeKey(judge) ? {} : { judge, scores: {}, otherJudges: [] })),
      setOtherJudges: (otherJudges) => set({ otherJudges }),
      setScore: (id, score) => set((s) => ({ scores: { ...s.scores, [id]: score } })),
      addSavedScores: (saved) => set((s) => ({ scores: { ...saved, ...s.scores } })),
      setScoring: (scoring) => set({ scoring }),
      setThresholds: (patch) => set((s) => ({ thresholds: { ...s.thresholds, ...patch } })),
      setReviewer: (reviewer) => set({ reviewer }),
      setReviews: (reviews) => set({ reviews }),
      openReview: (reviewing, draft = EMPTY_DRAFT) => set({ reviewing, draft }),
      patchDraft: (patch) => set((s) => ({ draft: { ...s.draft, ...patch } })),
      setMessage: (message) => set({ message }),
    }),
    // Only the reviewer's name and the thresholds survive a reload; reviews live in IndexedDB.
    { name: 'cxr-studio-curate', version: 1, partialize: (s) => ({ reviewer: s.reviewer, thresholds: s.thresholds }) },
  ),
);
