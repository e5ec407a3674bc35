import type { DroppedFile } from '../../core/data/dropRouting.ts';
import { parseCsv } from '../../core/data/csvTable.ts';
import { StudioError } from '../../core/errors.ts';

/**
 * The bundled example set (public/examples: 34 real X-rays, 14 lung masks, labels
 * with the studio's class names; made by scripts/make_examples.py, licences in
 * ATTRIBUTION.md). Served by the same origin and precached by the service worker.
 */
const base = () => new URL(`${import.meta.env.BASE_URL}examples/`, self.location.href);

export interface ExampleRow {
  file: string;
  mask: string;
  label: string;
  source: string;
  license: string;
}

async function fetchFile(path: string, type: string): Promise<File> {
  const response = await fetch(new URL(path, base()));
  if (!response.ok) throw new StudioError('file-unreadable', `example data ${path}: the server answered ${response.status}`);
  return new File([await response.blob()], path.split('/').pop()!, { type });
}

export async function exampleRows(): Promise<ExampleRow[]> {
  const labels = await fetchFile('labels.csv', 'text/csv');
  return parseCsv(new Uint8Array(await labels.arrayBuffer()), 'examples/labels.csv').rows as unknown as ExampleRow[];
}

/** The whole set as a drop of a folder laid out like ../shared/data/cxr256/<set>: images/, masks/, labels.csv. */
export async function exampleFolder(): Promise<DroppedFile<File>[]> {
  const rows = await exampleRows();
  const paths = ['labels.csv', ...rows.flatMap((r) => (r.mask ? [r.file, r.mask] : [r.file]))];
  return Promise.all(paths.map(async (path) => ({ path: `examples/${path}`, file: await fetchFile(path, path.endsWith('.csv') ? 'text/csv' : 'image/png') })));
}

/** One example X-ray with its ground-truth lung mask (V7 convention: the `lung` channel). */
export async function exampleWithMask(): Promise<{ image: File; mask: File; row: ExampleRow }> {
  const row = (await exampleRows()).find((r) => r.mask);
  if (!row) throw new StudioError('file-unreadable', 'examples/labels.csv lists no image with a mask');
  return { image: await fetchFile(row.file, 'image/png'), mask: await fetchFile(row.mask, 'image/png'), row };
}
