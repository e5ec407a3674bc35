import { adherenceByGroup, type AdherenceRow } from './adherence.ts';
import { proxyKeeps, type ProxyThresholds } from './proxyFilter.ts';
import type { ScoredImage } from './proxyScore.ts';

/**
 * The models that scored an image: the proxy classifier and segmenter, each named by
 * where it came from (a bundle id, or the file name of the user's own model). A
 * generator judged only by a classifier from its own training run can look better than
 * it is, so the studio keeps every judge's scores apart and compares them.
 */
export interface Judge {
  classifier: string;
  /** Absent when the bundle has no segmenter. */
  segmenter?: string;
}

/**
 * The key a judge's scores are stored and compared under: the bundle id when both
 * models come from one bundle (the key scores had before a second judge was possible),
 * otherwise "classifier + segmenter".
 */
export function judgeKey({ classifier, segmenter }: Judge): string {
  return segmenter === undefined || segmenter === classifier ? classifier : `${classifier} + ${segmenter}`;
}

/** The judge in words, as the Curate page names it. */
export function judgeLabel({ classifier, segmenter }: Judge): string {
  if (segmenter === undefined) return `classifier ${classifier}`;
  return segmenter === classifier ? `${classifier} (classifier and segmenter)` : `classifier ${classifier}, segmenter ${segmenter}`;
}

export interface JudgeScores {
  judge: Judge;
  /** By image id. */
  scores: Record<string, ScoredImage>;
}

export interface JudgeRow {
  judge: Judge;
  /** Prompt and mask adherence over the compared images (group "all"). */
  adherence: AdherenceRow;
  /** Images the proxy filter keeps at the given thresholds by this judge's scores. */
  kept: number;
  /** Share of the images on which this judge's keep/reject matches the first judge's; null for the first. */
  agreement: number | null;
}

/**
 * Each judge's adherence and proxy-filter numbers on the images that every judge
 * scored (`imageIds` in gallery order), so the rows compare like with like. The first
 * judge is the one in use; the others' keep/reject verdicts are compared with its.
 */
export function compareJudges(imageIds: readonly string[], judges: readonly JudgeScores[], thresholds: ProxyThresholds): { images: string[]; rows: JudgeRow[] } {
  const images = imageIds.filter((id) => judges.every((j) => j.scores[id]));
  const verdicts = judges.map((j) => images.map((id) => proxyKeeps(j.scores[id], thresholds)));
  const rows = judges.map((j, i) => {
    const agreeing = verdicts[i].filter((keep, k) => keep === verdicts[0][k]).length;
    return {
      judge: j.judge,
      adherence: adherenceByGroup(images, () => 'all', (id) => j.scores[id]).at(-1)!,
      kept: verdicts[i].filter(Boolean).length,
      agreement: i === 0 || images.length === 0 ? null : agreeing / images.length,
    };
  });
  return { images, rows };
}
