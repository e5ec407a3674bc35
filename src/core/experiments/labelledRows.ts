import type { CsvTable } from '../data/csvTable.ts';
import { StudioError } from '../errors.ts';

export interface LabelledRow {
  /** The image's path as labels.csv gives it, relative to the folder. */
  file: string;
  label: string;
}

/**
 * The one rule for a labelled folder's labels.csv (../shared/data/cxr256, the Curate
 * page's zip): an image column named `file` (or `image`), a `label` column, and when
 * there is a `split` column, only the rows of `split`. Rows without a label are left out.
 */
export function labelledRows(table: CsvTable, source: string, split?: 'train' | 'test'): LabelledRow[] {
  const fileColumn = table.columns.includes('file') ? 'file' : 'image';
  if (!table.columns.includes(fileColumn) || !table.columns.includes('label')) {
    throw new StudioError('labels-invalid', `${source}: needs columns "file" (or "image") and "label", has [${table.columns.join(', ')}]`);
  }
  const rows = split && table.columns.includes('split') ? table.rows.filter((r) => r.split === split) : table.rows;
  return rows.filter((r) => r.label).map((r) => ({ file: r[fileColumn], label: r.label }));
}

/** The classes an experiment compares: those given, else every label of the real training rows, sorted. */
export function experimentClasses(trainLabels: readonly string[], given?: readonly string[]): string[] {
  const classes = given?.length ? [...given] : [...new Set(trainLabels)].sort();
  if (classes.length < 2) throw new StudioError('labels-invalid', `an experiment needs at least two classes, received [${classes.join(', ')}]`);
  return classes;
}
