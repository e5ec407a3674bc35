import type { CaseResult } from './caseResult.ts';
import type { ModelIdentity } from './summary.ts';

/**
 * The per-image rows of the CSV export, one column per field, probabilities
 * one column per class, and the scoring model's file and sha256 per role on
 * every row, so rows from runs of two models can be told apart once merged.
 * Multi-label runs pass their threshold: `predicted` is then the set of classes
 * with p >= threshold, joined by "|" as the label cells are.
 */
export function caseTableRows(cases: readonly CaseResult[], classes: readonly string[], models: readonly ModelIdentity[], multiLabelThreshold?: number): Array<Record<string, string | number>> {
  const modelColumns = Object.fromEntries(models.flatMap((m) => [[`${m.role}_file`, m.file], [`${m.role}_sha256`, m.sha256]]));
  return cases.map((c) => ({
    stem: c.stem,
    image: c.image,
    mask: c.mask ?? '',
    label: c.label ?? '',
    predicted: multiLabelThreshold !== undefined
      ? classes.filter((_, k) => (c.probabilities?.[k] ?? -1) >= multiLabelThreshold).join('|')
      : c.predictedIndex === undefined ? '' : classes[c.predictedIndex],
    ...Object.fromEntries(classes.map((name, k) => [`p_${name}`, c.probabilities?.[k] ?? ''])),
    dice: c.dice ?? '',
    iou: c.iou ?? '',
    hd95: c.hd95 ?? '',
    width: c.width ?? '',
    height: c.height ?? '',
    downscaled_from: c.downscaledFrom ? c.downscaledFrom.join('x') : '',
    shift: c.shift ?? '',
    notes: [...(c.notes ?? []), ...(c.maskWarnings ?? []).map((w) => `mask warning: ${w}`)].join('; '),
    error: c.error ? `${c.error.code}: ${c.error.detail}` : c.maskError ? `mask ${c.maskError.code}: ${c.maskError.detail}` : '',
    ms: c.ms,
    ...modelColumns,
  }));
}
