import { StudioError } from '../errors.ts';
import type { CsvTable } from './csvTable.ts';

/**
 * Which CSV column holds what. `guessColumnMapping` proposes one from common
 * header names; the user (page) or flags (CLI) can override each role.
 */
export interface ColumnMapping {
  file: string;
  label?: string;
  split?: string;
  mask?: string;
}

const CANDIDATES: Record<keyof ColumnMapping, string[]> = {
  file: ['file', 'filename', 'file_name', 'image', 'image_id', 'path', 'image_path', 'name', 'id'],
  label: ['label', 'class', 'diagnosis', 'finding', 'findings', 'finding labels', 'target', 'y'],
  split: ['split', 'subset', 'set', 'fold'],
  mask: ['mask', 'mask_file', 'mask_path'],
};

export function guessColumnMapping(columns: readonly string[], overrides: Partial<ColumnMapping> = {}): Partial<ColumnMapping> {
  const find = (role: keyof ColumnMapping) => {
    if (overrides[role] !== undefined) return overrides[role];
    const lower = columns.map((c) => c.toLowerCase());
    const at = CANDIDATES[role].map((name) => lower.indexOf(name)).find((i) => i >= 0);
    return at === undefined ? undefined : columns[at];
  };
  const mapping: Partial<ColumnMapping> = {};
  for (const role of Object.keys(CANDIDATES) as Array<keyof ColumnMapping>) {
    const column = find(role);
    if (column !== undefined) mapping[role] = column;
  }
  return mapping;
}

export interface LabelRow {
  /** The file as written in the CSV. */
  file: string;
  label?: string;
  split?: string;
  mask?: string;
}

/** Apply a mapping, checking that every mapped column exists; `requireLabel` for classification. */
export function readLabelRows(table: CsvTable, mapping: Partial<ColumnMapping>, { requireLabel = false, split }: { requireLabel?: boolean; split?: string } = {}): LabelRow[] {
  const missing = (column: string | undefined) => column !== undefined && !table.columns.includes(column);
  const source = table.source ?? 'labels CSV';
  if (!mapping.file) throw new StudioError('labels-invalid', `${source}: no file column: expected one of [${CANDIDATES.file.join(', ')}] or a chosen column; the CSV has [${table.columns.join(', ')}]`);
  if (requireLabel && !mapping.label) throw new StudioError('labels-invalid', `${source}: no label column: expected one of [${CANDIDATES.label.join(', ')}] or a chosen column; the CSV has [${table.columns.join(', ')}]`);
  for (const role of ['file', 'label', 'split', 'mask'] as const) {
    if (missing(mapping[role])) throw new StudioError('labels-invalid', `${source}: ${role} column "${mapping[role]}" is not in the CSV; it has [${table.columns.join(', ')}]`);
  }
  if (split !== undefined && !mapping.split) throw new StudioError('labels-invalid', `${source}: a split "${split}" was asked for but the CSV has no split column; it has [${table.columns.join(', ')}]`);
  return table.rows
    .filter((row) => split === undefined || row[mapping.split!] === split)
    .map((row) => ({
      file: row[mapping.file!],
      ...(mapping.label ? { label: row[mapping.label] } : {}),
      ...(mapping.split ? { split: row[mapping.split] } : {}),
      ...(mapping.mask && row[mapping.mask] ? { mask: row[mapping.mask] } : {}),
    }));
}
