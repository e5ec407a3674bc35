import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { datasetEntry, labelRow, labelsCsv, type ExportItem } from '../../src/core/curation/datasetExport.ts';

/**
 * A batch's output folder: the Curate page's zip layout, unzipped. Kept images go to
 * images/, masks/, provenance/ and labels.csv; images the proxy filter rejected go to
 * rejected/ in the same layout, so nothing made is thrown away. An image is finished when
 * its provenance file exists; every file is written to a temporary name and renamed, so a
 * killed run leaves whole files or none, and the provenance file is written last.
 */
export const REJECTED = 'rejected';

function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}

export function isFinished(out: string, stem: string): boolean {
  return existsSync(join(out, 'provenance', `${stem}.json`)) || existsSync(join(out, REJECTED, 'provenance', `${stem}.json`));
}

export function writeImage(out: string, item: ExportItem, stem: string, kept: boolean, created = new Date()): void {
  const root = kept ? out : join(out, REJECTED);
  const { files } = datasetEntry(item, stem, created);
  const provenance = `provenance/${stem}.json`;
  for (const [path, bytes] of Object.entries(files)) if (path !== provenance) writeAtomically(join(root, path), bytes);
  writeAtomically(join(root, provenance), files[provenance]);
}

/** Finished images under `root` (the kept or the rejected part), by stem. */
export function finishedStems(root: string): string[] {
  const dir = join(root, 'provenance');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort() : [];
}

/** Rewrites labels.csv (kept images) and rejected/labels.csv from the provenance files present; returns the counts. */
export function writeLabels(out: string): { kept: number; rejected: number } {
  const counts = { kept: 0, rejected: 0 };
  for (const [root, key] of [[out, 'kept'], [join(out, REJECTED), 'rejected']] as const) {
    const stems = finishedStems(root);
    counts[key] = stems.length;
    if (stems.length === 0 && key === 'rejected') continue;
    const rows = stems.map((stem) => {
      const record = JSON.parse(readFileSync(join(root, 'provenance', `${stem}.json`), 'utf8')) as Pick<ExportItem, 'proxy' | 'reviews'> & { generation: ExportItem['provenance'] };
      return labelRow({ provenance: record.generation, proxy: record.proxy, reviews: record.reviews }, stem, existsSync(join(root, 'masks', `${stem}.png`)));
    });
    writeAtomically(join(root, 'labels.csv'), labelsCsv(rows));
  }
  return counts;
}
