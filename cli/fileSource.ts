import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { listZip, readZipEntry } from '../src/core/data/zipArchive.ts';

/** Files the CLI evaluates: a folder (recursive) or a zip read entry by entry; names relative, forward slashes. */
export interface FileSource {
  name: string;
  files: string[];
  rejected: Array<{ name: string; reason: string }>;
  read(file: string): Uint8Array;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
  });
}

export function openSource(path: string): FileSource {
  if (statSync(path).isDirectory()) {
    return {
      name: path,
      files: walk(path).map((p) => relative(path, p).split(sep).join('/')).sort(),
      rejected: [],
      read: (file) => readFileSync(join(path, file)),
    };
  }
  const bytes = readFileSync(path);
  const { files, rejected } = listZip(bytes);
  return { name: path, files: files.sort(), rejected, read: (file) => readZipEntry(bytes, file) };
}
