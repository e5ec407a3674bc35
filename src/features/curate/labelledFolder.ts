import { parseCsv, type CsvTable } from '../../core/data/csvTable.ts';
import type { DroppedFile } from '../../core/data/dropRouting.ts';
import { readZipAll } from '../../core/data/zipArchive.ts';
import { StudioError } from '../../core/errors.ts';

/** A folder or one zip: its labels.csv and its files by path relative to the csv. */
export interface LabelledFolder {
  name: string;
  table: CsvTable;
  files: Map<string, Blob>;
}

/** The shallowest labels.csv names the folder (a copy in a subfolder is data, not the index). */
function shallowestCsv(paths: Iterable<string>): string | undefined {
  return [...paths].filter((p) => p === 'labels.csv' || p.endsWith('/labels.csv')).sort((a, b) => a.split('/').length - b.split('/').length)[0];
}

/** Files from a picker, with the paths a folder picker (`webkitdirectory`) gives them, as a drop gives them. */
export function withPaths(picked: Iterable<File>): DroppedFile<File>[] {
  return [...picked].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** A folder or one zip, picked (see withPaths) or dropped (folders walked by src/ui/droppedFiles.ts). */
export async function readLabelledFolder(entries: readonly DroppedFile<File>[]): Promise<LabelledFolder> {
  if (entries.length === 1 && /\.zip$/i.test(entries[0].path)) return readLabelledZip(entries[0].file);
  const byPath = new Map(entries.map((e) => [e.path, e.file]));
  const csv = shallowestCsv(byPath.keys());
  const folder = entries[0]?.path.split('/')[0] ?? '';
  if (!csv) throw new StudioError('labels-invalid', `the folder ${folder} has no labels.csv`);
  const root = csv.slice(0, -'labels.csv'.length);
  return {
    name: root.replace(/\/$/, '') || folder,
    table: parseCsv(new Uint8Array(await byPath.get(csv)!.arrayBuffer()), csv),
    files: new Map([...byPath].filter(([path]) => path.startsWith(root)).map(([path, f]) => [path.slice(root.length), f])),
  };
}

/** The same from a zip (entries with `..` or absolute paths are never inflated); named after its labels.csv folder, else the zip. */
async function readLabelledZip(zip: File): Promise<LabelledFolder> {
  const { files } = readZipAll(new Uint8Array(await zip.arrayBuffer()));
  const csv = shallowestCsv(files.keys());
  if (!csv) throw new StudioError('labels-invalid', `${zip.name} has no labels.csv`);
  const root = csv.slice(0, -'labels.csv'.length);
  return {
    name: root.replace(/\/$/, '').split('/').pop() || zip.name.replace(/\.zip$/i, ''),
    table: parseCsv(files.get(csv)!, `${zip.name}/${csv}`),
    files: new Map([...files].filter(([path]) => path.startsWith(root)).map(([path, data]) => [path.slice(root.length), new Blob([data as Uint8Array<ArrayBuffer>])])),
  };
}
