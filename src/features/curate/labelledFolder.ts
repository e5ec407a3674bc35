import { parseCsv, type CsvTable } from '../../core/data/csvTable.ts';
import { StudioError } from '../../core/errors.ts';

/** A folder picked with `webkitdirectory`: its labels.csv and its files by path relative to the folder. */
export interface LabelledFolder {
  name: string;
  table: CsvTable;
  files: Map<string, File>;
}

/** The shallowest labels.csv names the folder (a copy in a subfolder is data, not the index). */
export async function readLabelledFolder(picked: Iterable<File>): Promise<LabelledFolder> {
  const all = [...picked];
  const depth = (f: File) => f.webkitRelativePath.split('/').length;
  const csv = all.filter((f) => f.name === 'labels.csv').sort((a, b) => depth(a) - depth(b))[0];
  const folder = all[0]?.webkitRelativePath.split('/')[0] ?? '';
  if (!csv) throw new StudioError('labels-invalid', `the folder ${folder} has no labels.csv`);
  const root = csv.webkitRelativePath.slice(0, -'labels.csv'.length);
  return {
    name: root.replace(/\/$/, ''),
    table: parseCsv(new Uint8Array(await csv.arrayBuffer()), csv.webkitRelativePath),
    files: new Map(all.filter((f) => f.webkitRelativePath.startsWith(root)).map((f) => [f.webkitRelativePath.slice(root.length), f])),
  };
}
