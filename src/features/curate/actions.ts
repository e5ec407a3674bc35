import { anonymiseItems, datasetZip, type ExportItem } from '../../core/curation/datasetExport.ts';
import { toCsv } from '../../core/data/csvTable.ts';
import { judgeKey, judgeLabel, type Judge, type JudgeScores } from '../../core/curation/judges.ts';
import { scoreAnalysis } from '../../core/curation/proxyScore.ts';
import { parseReviewsFile, reviewsFile, type Decision, type Review } from '../../core/curation/review.ts';
import type { LoadedModelInfo } from '../../contracts/analysis.ts';
import { StudioError } from '../../core/errors.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { listGallery, type GalleryEntry } from '../../storage/gallery.ts';
import { listOtherJudgesScores, listProxyScores, saveProxyScore } from '../../storage/proxyScores.ts';
import { listReviews, saveReview, saveReviews } from '../../storage/reviews.ts';
import { analysisClient } from '../../workers-client/analysis.ts';
import { exportable } from './curation.ts';
import { EMPTY_DRAFT, useCurate, type ScoredImage } from './curateStore.ts';
import { downloadFile } from '../../ui/download.ts';
import { showModelPlacement } from '../models/queries.ts';

export async function loadCuration(): Promise<void> {
  try {
    const [entries, reviews] = await Promise.all([listGallery(), listReviews()]);
    useCurate.getState().setEntries(entries);
    useCurate.getState().setReviews(reviews);
  } catch (error) {
    useStatus.getState().showError('Reading the gallery and reviews', error);
  }
}

/** The judge of the analysis worker's models, once a classifier is loaded. */
export function judgeOf(models: readonly LoadedModelInfo[] | undefined): Judge | undefined {
  const classifier = models?.find((m) => m.role === 'classifier')?.source;
  const segmenter = models?.find((m) => m.role === 'segmenter')?.source;
  return classifier === undefined ? undefined : { classifier, ...(segmenter === undefined ? {} : { segmenter }) };
}

/**
 * Scores saved earlier: the judge in use's fill in what is not scored yet, every other
 * judge's are kept beside them for the comparison.
 */
export async function loadStoredScores(judge: Judge): Promise<void> {
  const key = judgeKey(judge);
  try {
    const [own, stored] = await Promise.all([listProxyScores(key), listOtherJudgesScores(key)]);
    const state = useCurate.getState();
    if (!state.judge || judgeKey(state.judge) !== key) return; // the models changed while this read
    state.addSavedScores(Object.fromEntries(own.map((row) => [row.imageId, row.score])));
    const others = new Map<string, JudgeScores>();
    for (const row of stored) {
      const other = others.get(row.bundle) ?? { judge: row.judge ?? { classifier: row.bundle, segmenter: row.bundle }, scores: {} };
      other.scores[row.imageId] = row.score;
      others.set(row.bundle, other);
    }
    state.setOtherJudges([...others.values()]);
  } catch (error) {
    useStatus.getState().showError('Reading saved proxy scores', error);
  }
}

let cancelScoring = false;

export function stopScoring(): void {
  cancelScoring = true;
}

async function scoreOne(entry: GalleryEntry, judge: Judge): Promise<ScoredImage> {
  const { api } = await analysisClient(useSettings.getState().backend);
  const image = await api.decode(await entry.png.arrayBuffer());
  const result = await api.analyze(image, undefined, () => {});
  showModelPlacement(result.models);
  // The models can be swapped on the Models page while this runs; a score is only ever saved under the judge that made it.
  const now = judgeOf(result.models);
  if (!now || judgeKey(now) !== judgeKey(judge)) {
    throw new StudioError('models-changed', `scoring began with ${judgeLabel(judge)} and the worker now has ${now ? judgeLabel(now) : 'no classifier'}; the images scored before the change keep their scores, and Curate scores the rest with the models in use when you press Score again`);
  }
  const convention = entry.provenance.mask?.layers.find((l) => l.layer === 'lung')?.convention;
  const score = scoreAnalysis(result, { prompt: entry.provenance.prompt, conditioningMask: entry.mask ?? null, convention });
  return { ...score, features: result.classification?.features };
}

/** Proxy scores by the judge in use for every image it has not scored, one at a time in the analysis worker; stops between images. */
export async function scoreGallery(): Promise<void> {
  const { entries, scores, judge, setScore, setScoring } = useCurate.getState();
  if (!judge) {
    useStatus.getState().showError('Scoring with the proxy model', new Error('the classifier and segmenter are not loaded yet'));
    return;
  }
  const todo = entries.filter((e) => !scores[e.id]);
  cancelScoring = false;
  try {
    for (let i = 0; i < todo.length && !cancelScoring; i++) {
      setScoring({ done: i, total: todo.length });
      const score = await scoreOne(todo[i], judge);
      if (useCurate.getState().judge !== judge) break; // the page moved on to another judge's scores
      setScore(todo[i].id, score);
      await saveProxyScore({ imageId: todo[i].id, bundle: judgeKey(judge), judge, score });
    }
  } catch (error) {
    useStatus.getState().showError('Scoring with the proxy model', error);
  } finally {
    setScoring(undefined);
  }
}

/** Saves the draft as the reviewer's accept/reject of the open image, then opens the next image. */
export async function decide(decision: Decision, order: readonly string[]): Promise<void> {
  const state = useCurate.getState();
  const imageId = state.reviewing;
  if (!imageId) return;
  const reviewer = state.reviewer.trim();
  if (!reviewer) {
    state.setMessage('Enter your name as reviewer before accepting or rejecting.');
    return;
  }
  const review: Review = { imageId, reviewer, ...state.draft, decision, reviewedAt: new Date().toISOString() };
  try {
    await saveReview(review);
    const others = state.reviews.filter((r) => !(r.imageId === imageId && r.reviewer === reviewer));
    state.setReviews([...others, review]);
    state.setMessage(`Saved: ${decision} by ${reviewer}.`);
    const next = order[order.indexOf(imageId) + 1];
    openReviewOf(next);
  } catch (error) {
    useStatus.getState().showError('Saving the review', error);
  }
}

/** Opens an image in review mode with this reviewer's earlier review, if any, as the draft. */
export function openReviewOf(imageId: string | undefined): void {
  const { reviews, reviewer, openReview } = useCurate.getState();
  const earlier = reviews.find((r) => r.imageId === imageId && r.reviewer === reviewer.trim());
  openReview(imageId, earlier ? { realism: earlier.realism, findingPresent: earlier.findingPresent, artefacts: earlier.artefacts, comment: earlier.comment } : EMPTY_DRAFT);
}

/** `anonymise`: the user's mask file names become mask-0001...; the key is downloaded as its own file, never inside the zip. */
export async function exportKept(anonymise = false): Promise<void> {
  const { entries, scores, judge, thresholds, reviews } = useCurate.getState();
  try {
    const kept = exportable(entries, scores, thresholds, reviews);
    const items: ExportItem[] = await Promise.all(kept.map(async (e) => {
      const { findingClass, findingProbability, maskChannel, maskDice, probabilities } = scores[e.id];
      const proxy = { findingClass, findingProbability, maskChannel, maskDice, probabilities, ...(judge ? { judge } : {}) };
      return { id: e.id, png: new Uint8Array(await e.png.arrayBuffer()), side: e.side, mask: e.mask, provenance: e.provenance, proxy, reviews: reviews.filter((r) => r.imageId === e.id) };
    }));
    if (!anonymise) {
      downloadFile(`cxr-curated-${items.length}.zip`, datasetZip(items), 'application/zip');
      return;
    }
    const anonymised = anonymiseItems(items);
    downloadFile(`cxr-curated-${items.length}-anonymised.zip`, datasetZip(anonymised.items), 'application/zip');
    downloadFile(`cxr-curated-${items.length}-name-key.csv`, toCsv(anonymised.key), 'text/csv');
  } catch (error) {
    useStatus.getState().showError('Exporting the kept images', error);
  }
}

export function exportReviews(): void {
  downloadFile('cxr-reviews.json', JSON.stringify(reviewsFile(useCurate.getState().reviews), null, 1), 'application/json');
}

export async function importReviews(file: File): Promise<void> {
  try {
    const imported = parseReviewsFile(await file.text());
    await saveReviews(imported);
    useCurate.getState().setReviews(await listReviews());
    useCurate.getState().setMessage(`Imported ${imported.length} review${imported.length === 1 ? '' : 's'} from ${file.name}.`);
  } catch (error) {
    useStatus.getState().showError('Importing reviews', error);
  }
}
