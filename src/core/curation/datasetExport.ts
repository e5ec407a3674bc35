import { zipSync } from 'fflate';
import { toCsv } from '../data/csvTable.ts';
import { pseudonymiseJson, pseudonymsFor } from '../data/pseudonyms.ts';
import { encodeMaskPng } from '../mask/maskPng.ts';
import type { Provenance } from '../pipelines/provenance.ts';
import type { Judge } from './judges.ts';
import type { ProxyScore } from './proxyScore.ts';
import type { Review } from './review.ts';

/** One kept image with everything the training set needs to say about it. */
export interface ExportItem {
  id: string;
  png: Uint8Array;
  side: number;
  mask?: Uint8Array;
  provenance: Provenance;
  /** `judge`: the classifier and segmenter that scored it. */
  proxy: (ProxyScore & { probabilities: Record<string, number>; judge?: Judge }) | null;
  reviews: Review[];
}

export const DATASET_PROVENANCE_FORMAT = 'cxr-studio-curated/1';

/** labels.csv columns, in order (values: what each holds). */
export const LABEL_COLUMNS = {
  image: 'path of the PNG in the zip',
  mask: 'path of the 0/255 conditioning mask, empty without one',
  label: 'prompted finding class (normal, pneumonia, ...), empty when the prompt names none',
  prompt: 'the generation prompt',
  seed: 'generation seed',
  steps: 'denoising steps',
  guidance: 'classifier-free guidance scale',
  scheduler: 'ddim or dpmpp2m',
  mask_convention: 'mask convention given to the generator (e.g. shenzhen)',
  finding_probability: 'classifier probability of the label',
  mask_dice: 'Dice between the conditioning mask and the segmenter output',
  review_decision: 'latest review: accept or reject',
  review_realism: 'latest review: realism 1-5',
  reviewer: 'latest review: reviewer name',
} as const;

function stem(item: ExportItem, index: number): string {
  return `synthetic-${String(index + 1).padStart(4, '0')}-seed${item.provenance.seed}`;
}

export type LabelRow = Record<keyof typeof LABEL_COLUMNS, string | number>;

/**
 * One kept image's files in the dataset layout (`images/<name>.png`, `masks/<name>.png`
 * when it had a conditioning mask, `provenance/<name>.json`: the generator's provenance,
 * proxy scores and every review) and its labels.csv row. The zip below and the CLI's
 * batch folder (cli/batch) both write images this way.
 */
export function datasetEntry(item: ExportItem, name: string, created: Date): { files: Record<string, Uint8Array>; row: LabelRow } {
  const files: Record<string, Uint8Array> = {};
  files[`images/${name}.png`] = item.png;
  if (item.mask) files[`masks/${name}.png`] = encodeMaskPng(item.mask, item.side);
  const provenance = { format: DATASET_PROVENANCE_FORMAT, image_id: item.id, exported: created.toISOString(), generation: item.provenance, proxy: item.proxy, reviews: item.reviews };
  files[`provenance/${name}.json`] = new TextEncoder().encode(JSON.stringify(provenance, null, 1));
  return { files, row: labelRow(item, name, Boolean(item.mask)) };
}

/** An image's labels.csv row from what its provenance file holds. */
export function labelRow(item: Pick<ExportItem, 'provenance' | 'proxy' | 'reviews'>, name: string, hasMask: boolean): LabelRow {
  const latest = item.reviews.reduce<Review | undefined>((a, r) => (!a || r.reviewedAt > a.reviewedAt ? r : a), undefined);
  return {
    image: `images/${name}.png`,
    mask: hasMask ? `masks/${name}.png` : '',
    label: item.proxy?.findingClass ?? '',
    prompt: item.provenance.prompt,
    seed: item.provenance.seed,
    steps: item.provenance.steps,
    guidance: item.provenance.guidance,
    scheduler: item.provenance.scheduler,
    mask_convention: item.provenance.mask?.layers.find((l) => l.convention)?.convention ?? '',
    finding_probability: item.proxy?.findingProbability ?? '',
    mask_dice: item.proxy?.maskDice ?? '',
    review_decision: latest?.decision ?? '',
    review_realism: latest?.realism ?? '',
    reviewer: latest?.reviewer ?? '',
  };
}

/** labels.csv of the dataset layout, columns in LABEL_COLUMNS' order. */
export function labelsCsv(rows: readonly LabelRow[]): Uint8Array {
  return new TextEncoder().encode(toCsv(rows, { fields: Object.keys(LABEL_COLUMNS), newline: '\n' }) + '\n');
}

/**
 * The kept images as a zip ready for training elsewhere: each image's datasetEntry
 * (named synthetic-NNNN-seedS) and `labels.csv` (one row per image; `label` is the
 * prompted finding class, empty when the prompt names none).
 */
export function datasetZip(items: readonly ExportItem[], created = new Date()): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const rows = items.map((item, index) => {
    const entry = datasetEntry(item, stem(item, index), created);
    Object.assign(files, entry.files);
    return entry.row;
  });
  files['labels.csv'] = labelsCsv(rows);
  return zipSync(files, { level: 0 });
}

/**
 * "Anonymise file names" for the dataset export: the user's mask file names
 * (provenance.mask.name, the Masks editor's source), which can carry patient
 * IDs, become mask-0001...; the key (pseudonym -> original) is returned apart,
 * for its own file, never inside the zip.
 */
export function anonymiseItems(items: readonly ExportItem[]): { items: ExportItem[]; key: Array<{ pseudonym: string; original: string }> } {
  const names = items.flatMap((item) => {
    const source = item.provenance.mask_editor?.source;
    return [item.provenance.mask?.name ?? '', typeof source === 'string' ? source : ''];
  });
  const pseudonyms = pseudonymsFor(names, 'mask');
  return { items: items.map((item) => ({ ...item, provenance: pseudonymiseJson(item.provenance, pseudonyms) })), key: pseudonyms.key() };
}
