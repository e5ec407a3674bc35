import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { datasetEntry, labelRow, labelsCsv, type ExportItem, type LabelRow } from '../../src/core/curation/datasetExport.ts';

/**
 * A batch's output folder: the Curate page's zip layout, unzipped. Kept images go to
 * images/, masks/, provenance/ and labels.csv; images the proxy filter rejected go to
 * rejected/ in the same layout, so nothing made is thrown away. An image is finished when
 * its provenance file exists; every file is written to a temporary name and renamed, so a
 * killed run leaves whole files or none, and the provenance file is written last.
 */
export const REJECTED = 'rejected';

let writes = 0;

function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${++writes}`;
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

function labelRows(root: string, stems: readonly string[]): LabelRow[] {
  return stems.map((stem) => {
    const record = JSON.parse(readFileSync(join(root, 'provenance', `${stem}.json`), 'utf8')) as Pick<ExportItem, 'proxy' | 'reviews'> & { generation: ExportItem['provenance'] };
    return labelRow({ provenance: record.generation, proxy: record.proxy, reviews: record.reviews }, stem, existsSync(join(root, 'masks', `${stem}.png`)));
  });
}

/**
 * Rebuilds `root`/labels.csv from the provenance files there, safe while other shards
 * (processes, or pods on one shared volume) finish into the same folder, with no lock:
 * each writer renames a whole file into place, then lists the provenance files again
 * and writes once more if an image finished meanwhile. So the last rename of all holds
 * every image finished before it: a shard's image is written before its own rebuild,
 * which either lists it or renames after whoever missed it. Returns the rows' count.
 */
function rebuildLabels(root: string, always: boolean): number {
  let stems = finishedStems(root);
  if (stems.length === 0 && !always) return 0;
  for (;;) {
    writeAtomically(join(root, 'labels.csv'), labelsCsv(labelRows(root, stems)));
    const now = finishedStems(root);
    if (now.length === stems.length && now.every((stem, i) => stem === stems[i])) return stems.length;
    stems = now;
  }
}

/** Rebuilds labels.csv (kept images) and rejected/labels.csv from the provenance files present; returns the counts. */
export function writeLabels(out: string): { kept: number; rejected: number } {
  return { kept: rebuildLabels(out, true), rejected: rebuildLabels(join(out, REJECTED), false) };
}
