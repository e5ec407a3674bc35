import Papa from 'papaparse';
import { StudioError } from '../errors.ts';

/**
 * Adapter over papaparse for the labels files spreadsheets write: UTF-8 with
 * or without a BOM, UTF-16 ("Unicode text") with its BOM, CRLF or LF line ends,
 * and a delimiter among , ; tab | sniffed from the content.
 */
export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
  delimiter: string;
  /** The file's name, for messages. */
  source?: string;
}

export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // TextDecoder drops a UTF-8 BOM itself
  return new TextDecoder('utf-8').decode(bytes);
}

export function parseCsv(input: Uint8Array | string, source = 'labels CSV'): CsvTable {
  const text = (typeof input === 'string' ? input : decodeText(input)).replace(/^\uFEFF/, '');
  const result = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', ';', '\t', '|'],
    transformHeader: (h) => h.trim(),
  });
  const columns = (result.meta.fields ?? []).filter((c) => c !== '');
  if (columns.length === 0) throw new StudioError('labels-invalid', `${source}: no header row found`);
  const fatal = result.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw new StudioError('labels-invalid', `${source}: row ${(fatal.row ?? 0) + 2}: ${fatal.message}`);
  const rows = result.data.map((row) => Object.fromEntries(columns.map((c) => [c, (row[c] ?? '').trim()])));
  return { columns, rows, delimiter: result.meta.delimiter, source };
}

/**
 * Rows to CSV text (RFC 4180 quoting), for every export the studio writes. Text
 * cells that begin with = + - @ tab or CR are prefixed with ' (papaparse's
 * escapeFormulae), so a file name such as "=HYPERLINK(...)" opens in a
 * spreadsheet as text, not as a formula; numbers are written as they are.
 */
export function toCsv(rows: ReadonlyArray<Record<string, string | number>>, { fields, newline = '\r\n' }: { fields?: string[]; newline?: string } = {}): string {
  const options = { newline, escapeFormulae: true };
  if (fields) return Papa.unparse({ fields, data: rows.map((row) => fields.map((f) => row[f] ?? '')) }, options);
  return Papa.unparse(rows as Array<Record<string, string | number>>, options);
}
