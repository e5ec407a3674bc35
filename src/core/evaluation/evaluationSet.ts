import type { LabelRow } from '../data/columnMapping.ts';
import { fileStem } from '../data/stem.ts';
import { labelSet } from './labelSets.ts';

/**
 * Match images, labels and masks by file stem and list what does not fit, so
 * the user sees a validation summary before the run and can go ahead with the
 * valid rest. Nothing ambiguous is resolved by order: two images (or masks)
 * with one stem, or two CSV rows that disagree about one image, are reported
 * as conflicts and left out, never "last wins".
 */
export interface EvaluationItem {
  stem: string;
  image: string;
  mask?: string;
  label?: string;
  /** Index into the model's classes when the label is one of them (single-label sets). */
  classIndex?: number;
  /** Multi-label sets: the classes in the label cell (possibly none, e.g. "No Finding" mapped to nothing). */
  classIndices?: number[];
}

export type IssueKind =
  | 'no-label' | 'label-unknown' | 'label-conflict' | 'no-mask' | 'no-image'
  | 'stem-conflict' | 'not-an-image' | 'archive-unsafe';

export interface InputIssue {
  file: string;
  kind: IssueKind;
  detail: string;
}

export interface ValidationSummary {
  items: EvaluationItem[];
  issues: InputIssue[];
  counts: {
    images: number;
    labelled: number;
    withMask: number;
    usable: number;
    /** Labelled images that name no mask while others have one: scored by the classifier only, and not an input issue. */
    classificationOnly: number;
  };
}

/** The one sentence the page and the CLI give for classification-only cases; empty when there are none. */
export function classificationOnlyNote(count: number): string {
  return count ? `${count} image(s) have no mask: scored for classification only` : '';
}

/** Image files by extension; names without an extension are kept too (DICOM files often have none). */
const IMAGE_NAME = /\.(png|jpe?g|dcm|dicom)$/i;

export interface EvaluationSetInput {
  images: readonly string[];
  masks?: readonly string[];
  rows?: readonly LabelRow[];
  /** The classifier's classes; labels are matched case-insensitively, after `labelMap`. */
  classes?: readonly string[];
  labelMap?: Readonly<Record<string, string>>;
  /** Only rows (and so images) listed in the CSV are used, e.g. after a split filter. */
  onlyListed?: boolean;
  needLabels?: boolean;
  needMasks?: boolean;
  /** Label cells are sets (labelSets.ts); parts not among the classes are listed and left out. */
  multiLabel?: boolean;
}

/** Code-unit order, the same in Node and every browser: the page and the CLI score (and resample) cases in one order. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Names grouped by stem, in name order. */
function byStem(names: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const name of [...names].sort(byName)) {
    const stem = fileStem(name);
    groups.set(stem, [...(groups.get(stem) ?? []), name]);
  }
  return groups;
}

const isLabelled = (i: EvaluationItem) => i.classIndex !== undefined || i.classIndices !== undefined;

const sameRow = (a: LabelRow, b: LabelRow) => a.label === b.label && a.mask === b.mask;

export function buildEvaluationSet({ images, masks = [], rows, classes = [], labelMap = {}, onlyListed = false, needLabels = false, needMasks = false, multiLabel = false }: EvaluationSetInput): ValidationSummary {
  const issues: InputIssue[] = [];
  const classByName = new Map(classes.map((c, i) => [c.toLowerCase(), i]));
  const items: EvaluationItem[] = [];
  let classificationOnly = 0;

  // 1. Masks and label rows by stem; ambiguous ones are reported and not used
  const maskByStem = new Map<string, string>();
  for (const [stem, names] of byStem(masks)) {
    if (names.length === 1) maskByStem.set(stem, names[0]);
    else for (const name of names) issues.push({ file: name, kind: 'stem-conflict', detail: `${names.length} masks are called ${stem} (${names.join(', ')}); none is used` });
  }
  const rowsByStem = new Map<string, LabelRow[]>();
  for (const row of rows ?? []) rowsByStem.set(fileStem(row.file), [...(rowsByStem.get(fileStem(row.file)) ?? []), row]);
  const labelColumn = (rows ?? []).some((r) => r.label !== undefined);

  // 2. Each image, in name order
  const imageStems = new Set<string>();
  for (const [stem, names] of byStem(images)) {
    const pictures = names.filter((image) => {
      const name = image.split(/[\\/]/).pop() ?? image;
      if (IMAGE_NAME.test(name) || !name.includes('.')) return true;
      issues.push({ file: image, kind: 'not-an-image', detail: 'not a PNG, JPEG or DICOM name; skipped' });
      return false;
    });
    if (!pictures.length) continue;
    const listed = rowsByStem.get(stem);
    if (onlyListed && !listed) continue;
    imageStems.add(stem);
    if (pictures.length > 1) {
      for (const image of pictures) issues.push({ file: image, kind: 'stem-conflict', detail: `${pictures.length} images are called ${stem} (${pictures.join(', ')}), so labels and masks cannot be matched; none is used` });
      continue;
    }
    const image = pictures[0];
    const item: EvaluationItem = { stem, image };
    const conflict = listed && listed.some((r) => !sameRow(r, listed[0]));
    if (conflict) {
      issues.push({ file: image, kind: 'label-conflict', detail: `the labels CSV has ${listed.length} rows for ${stem} that disagree (${listed.map((r) => `"${r.label ?? ''}"${r.mask ? ` mask ${r.mask}` : ''}`).join(' vs ')}); its label is not used` });
    }
    const row = conflict ? undefined : listed?.[0];

    const labelIssues: InputIssue[] = [];
    const label = row?.label?.trim();
    if (label && multiLabel) {
      item.label = row!.label;
      const { indices, unknown } = labelSet(label, classes, labelMap);
      if (unknown.length && classes.length) labelIssues.push({ file: image, kind: 'label-unknown', detail: `label(s) ${unknown.map((u) => `"${u}"`).join(', ')} not among the model's classes [${classes.join(', ')}]; ${indices.length ? 'scored on the rest' : 'not scored'}` });
      if (indices.length || !unknown.length) item.classIndices = indices;
    } else if (label) {
      item.label = row!.label;
      const index = classByName.get((labelMap[label] ?? label).toLowerCase());
      if (index !== undefined) item.classIndex = index;
      else if (classes.length) labelIssues.push({ file: image, kind: 'label-unknown', detail: `label "${label}" is not one of the model's classes [${classes.join(', ')}]` });
    } else if (needLabels && !conflict) {
      const why = !rows ? 'no labels CSV given'
        : !labelColumn ? 'the labels CSV has no label column'
          : row ? `the label cell for ${stem} in the labels CSV is empty`
            : `no row for ${stem} in the labels CSV`;
      labelIssues.push({ file: image, kind: 'no-label', detail: why });
    }

    if (row?.mask) {
      const mask = maskByStem.get(fileStem(row.mask));
      if (mask) item.mask = mask;
      else if (needMasks) issues.push({ file: image, kind: 'no-mask', detail: `the labels CSV names mask ${row.mask}, which is not among the masks` });
    } else if (maskByStem.has(stem)) {
      item.mask = maskByStem.get(stem);
    } else if (needMasks && needLabels && isLabelled(item)) {
      // A labelled image that names no mask is a classification-only case, normal in a
      // set where only some images have masks: counted once, not an issue per image.
      classificationOnly++;
    } else if (needMasks) {
      issues.push({ file: image, kind: 'no-mask', detail: `no mask named ${stem}.*` });
    }
    issues.push(...labelIssues);
    items.push(item);
  }
  for (const [stem, listed] of rowsByStem) {
    if (!imageStems.has(stem)) issues.push({ file: listed[0].file, kind: 'no-image', detail: `listed in the labels CSV but no image named ${stem}.* was found` });
  }
  // 3. Masks that no image uses and whose stem names no given image: probably a missing image
  const allImageStems = new Set(images.map(fileStem));
  const usedMasks = new Set(items.flatMap((i) => (i.mask ? [i.mask] : [])));
  const namedInRows = new Set((rows ?? []).flatMap((r) => (r.mask ? [r.mask] : [])));
  for (const [stem, name] of maskByStem) {
    if (!usedMasks.has(name) && !namedInRows.has(name) && !allImageStems.has(stem)) {
      issues.push({ file: name, kind: 'no-image', detail: `mask with no image named ${stem}.* among the images; not used` });
    }
  }

  const labelled = items.filter(isLabelled).length;
  const withMask = items.filter((i) => i.mask).length;
  const usable = items.filter((i) => (!needLabels && !needMasks) || (needLabels && isLabelled(i)) || (needMasks && i.mask)).length;
  return { items, issues, counts: { images: items.length, labelled, withMask, usable, classificationOnly } };
}
