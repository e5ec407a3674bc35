import type { CaseResult } from './caseResult.ts';

/** The per-image rows of the CSV export, one column per field, probabilities one column per class. */
export function caseTableRows(cases: readonly CaseResult[], classes: readonly string[]): Array<Record<string, string | number>> {
  return cases.map((c) => ({
    stem: c.stem,
    image: c.image,
    mask: c.mask ?? '',
    label: c.label ?? '',
    predicted: c.predictedIndex === undefined ? '' : classes[c.predictedIndex],
    ...Object.fromEntries(classes.map((name, k) => [`p_${name}`, c.probabilities?.[k] ?? ''])),
    dice: c.dice ?? '',
    iou: c.iou ?? '',
    hd95: c.hd95 ?? '',
    width: c.width ?? '',
    height: c.height ?? '',
    downscaled_from: c.downscaledFrom ? c.downscaledFrom.join('x') : '',
    error: c.error ? `${c.error.code}: ${c.error.detail}` : c.maskError ? `mask ${c.maskError.code}: ${c.maskError.detail}` : '',
    ms: c.ms,
  }));
}
