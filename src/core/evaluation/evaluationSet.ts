import type { LabelRow } from '../data/columnMapping.ts';
import { fileStem } from '../data/stem.ts';
import { labelSet } from './labelSets.ts';

/**
 * Match images, labels and masks by file stem and list what does not fit, so
 * the user sees a validation summary before the run and can go ahead with the
 * valid rest.
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

export type IssueKind = 'no-label' | 'label-unknown' | 'no-mask' | 'no-image' | 'duplicate-stem' | 'not-an-image' | 'archive-unsafe';

export interface InputIssue {
  file: string;
  kind: IssueKind;
  detail: string;
}

export interface ValidationSummary {
  items: EvaluationItem[];
  issues: InputIssue[];
  counts: { images: number; labelled: number; withMask: number; usable: number };
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

export function buildEvaluationSet({ images, masks = [], rows, classes = [], labelMap = {}, onlyListed = false, needLabels = false, needMasks = false, multiLabel = false }: EvaluationSetInput): ValidationSummary {
  const issues: InputIssue[] = [];
  const maskByStem = new Map(masks.map((m) => [fileStem(m), m]));
  const rowByStem = new Map((rows ?? []).map((r) => [fileStem(r.file), r]));
  const classByName = new Map(classes.map((c, i) => [c.toLowerCase(), i]));
  const seen = new Set<string>();
  const items: EvaluationItem[] = [];

  for (const image of images) {
    const name = image.split(/[\\/]/).pop() ?? image;
    if (!IMAGE_NAME.test(name) && name.includes('.')) {
      issues.push({ file: image, kind: 'not-an-image', detail: 'not a PNG, JPEG or DICOM name; skipped' });
      continue;
    }
    const stem = fileStem(image);
    if (seen.has(stem)) {
      issues.push({ file: image, kind: 'duplicate-stem', detail: `another image is also called ${stem}; only the first is used` });
      continue;
    }
    const row = rowByStem.get(stem);
    if (onlyListed && !row) continue;
    seen.add(stem);
    const item: EvaluationItem = { stem, image };
    const mask = row?.mask ? maskByStem.get(fileStem(row.mask)) ?? row.mask : maskByStem.get(stem);
    if (mask) item.mask = mask;
    else if (needMasks) issues.push({ file: image, kind: 'no-mask', detail: `no mask named ${stem}.*` });
    if (row?.label && multiLabel) {
      item.label = row.label;
      const { indices, unknown } = labelSet(row.label, classes, labelMap);
      if (unknown.length && classes.length) issues.push({ file: image, kind: 'label-unknown', detail: `label(s) ${unknown.map((u) => `"${u}"`).join(', ')} not among the model's classes [${classes.join(', ')}]; ${indices.length ? 'scored on the rest' : 'not scored'}` });
      if (indices.length || !unknown.length) item.classIndices = indices;
    } else if (row?.label) {
      item.label = row.label;
      const index = classByName.get((labelMap[row.label] ?? row.label).toLowerCase());
      if (index !== undefined) item.classIndex = index;
      else if (classes.length) issues.push({ file: image, kind: 'label-unknown', detail: `label "${row.label}" is not one of the model's classes [${classes.join(', ')}]` });
    } else if (needLabels) {
      issues.push({ file: image, kind: 'no-label', detail: rows ? `no row for ${stem} in the labels CSV` : 'no labels CSV given' });
    }
    items.push(item);
  }
  for (const stem of rowByStem.keys()) {
    if (!seen.has(stem)) issues.push({ file: rowByStem.get(stem)!.file, kind: 'no-image', detail: `listed in the labels CSV but no image named ${stem}.* was found` });
  }

  const isLabelled = (i: EvaluationItem) => i.classIndex !== undefined || i.classIndices !== undefined;
  const labelled = items.filter(isLabelled).length;
  const withMask = items.filter((i) => i.mask).length;
  const usable = items.filter((i) => (!needLabels && !needMasks) || (needLabels && isLabelled(i)) || (needMasks && i.mask)).length;
  return { items, issues, counts: { images: items.length, labelled, withMask, usable } };
}
