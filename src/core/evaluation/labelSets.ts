/**
 * Multi-label truth: a label cell that holds several findings, as NIH ChestX-ray14
 * writes "Effusion|Pneumonia" or ieee8023 writes "COVID-19, ARDS". Parts are split on
 * `|`, `,` or `;` (inside the cell, after CSV parsing), each part goes through the
 * user's label map (whose target may itself be a set: "COVID-19=covid|pneumonia"),
 * and is matched to the model's classes case-insensitively.
 */
export const LABEL_SEPARATOR = /\s*[|,;]\s*/;

/** Whether any label cell holds more than one part: the page and the CLI then default to multi-label. */
export function looksMultiLabel(labels: readonly (string | undefined)[]): boolean {
  return labels.some((label) => label !== undefined && label.split(LABEL_SEPARATOR).filter(Boolean).length > 1);
}

export interface LabelSet {
  /** Class indices, ascending, no repeats. */
  indices: number[];
  /** Parts (after the map) that are not one of the model's classes. */
  unknown: string[];
}

export function labelSet(cell: string, classes: readonly string[], labelMap: Readonly<Record<string, string>> = {}): LabelSet {
  const classByName = new Map(classes.map((c, i) => [c.toLowerCase(), i]));
  const indices = new Set<number>();
  const unknown: string[] = [];
  for (const part of cell.split(LABEL_SEPARATOR).filter(Boolean)) {
    for (const target of (labelMap[part] ?? part).split(LABEL_SEPARATOR).filter(Boolean)) {
      const index = classByName.get(target.toLowerCase());
      if (index === undefined) unknown.push(target);
      else indices.add(index);
    }
  }
  return { indices: [...indices].sort((a, b) => a - b), unknown };
}
