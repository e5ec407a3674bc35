import { parseCsv, type CsvTable } from '../../core/data/csvTable.ts';
import { readZipAll } from '../../core/data/zipArchive.ts';
import { StudioError } from '../../core/errors.ts';

/** A folder picked with `webkitdirectory`, or one zip: its labels.csv and its files by path relative to the csv. */
export interface LabelledFolder {
  name: string;
  table: CsvTable;
  files: Map<string, Blob>;
}

/** The shallowest labels.csv names the folder (a copy in a subfolder is data, not the index). */
function shallowestCsv(paths: Iterable<string>): string | undefined {
  return [...paths].filter((p) => p === 'labels.csv' || p.endsWith('/labels.csv')).sort((a, b) => a.split('/').length - b.split('/').length)[0];
}

export async function readLabelledFolder(picked: Iterable<File>): Promise<LabelledFolder> {
  const all = [...picked];
  if (all.length === 1 && /\.zip$/i.test(all[0].name)) return readLabelledZip(all[0]);
  const byPath = new Map(all.map((f) => [f.webkitRelativePath || f.name, f]));
  const csv = shallowestCsv(byPath.keys());
  const folder = all[0]?.webkitRelativePath.split('/')[0] ?? '';
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
