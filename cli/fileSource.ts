import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StudioError } from '../src/core/errors.ts';
import { sniffImageFormat } from '../src/core/image/decode.ts';
import { listZip, readZipEntry, unsafeReason } from '../src/core/data/zipArchive.ts';

/**
 * Files the CLI evaluates: a folder (recursive, symbolic links followed) or a
 * zip read entry by entry; names relative, forward slashes. `read` only reads
 * a name inside the source: a labels CSV's `mask` cell cannot reach outside
 * the folder or zip it was given with (containedName).
 */
export interface FileSource {
  name: string;
  files: string[];
  rejected: Array<{ name: string; reason: string }>;
  read(file: string): Uint8Array;
}

/**
 * A name given relative to a folder or zip, normalised, or the reason it
 * leaves it (absolute, `..`). Used for every name a labels CSV supplies.
 */
export function containedName(name: string): { name: string } | { reason: string } {
  const normalised = name.replace(/\\/g, '/');
  const reason = unsafeReason(normalised) ?? (isAbsolute(name) ? 'absolute path' : undefined);
  if (reason) return { reason };
  return { name: normalised.split('/').filter((part) => part !== '' && part !== '.').join('/') };
}

function walk(root: string, dir: string, rejected: FileSource['rejected'], seen: Set<string>): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(root, path, rejected, seen);
    if (entry.isFile()) return [path];
    if (!entry.isSymbolicLink()) return [];
    const name = relative(root, path).split(sep).join('/');
    if (!existsSync(path)) {
      rejected.push({ name, reason: 'symbolic link to a file that does not exist' });
      return [];
    }
    if (statSync(path).isDirectory()) {
      const target = realpathSync(path);
      if (seen.has(target)) {
        rejected.push({ name, reason: 'symbolic link back to a folder already read (a loop); not followed' });
        return [];
      }
      seen.add(target);
      return walk(root, path, rejected, seen);
    }
    return [path];
  });
}

export function openSource(path: string): FileSource {
  if (!existsSync(path)) throw new StudioError('archive-invalid', `${path}: no such file or folder`);
  if (statSync(path).isDirectory()) {
    const rejected: FileSource['rejected'] = [];
    const files = walk(path, path, rejected, new Set([realpathSync(path)])).map((p) => relative(path, p).split(sep).join('/')).sort();
    if (files.length === 0 && rejected.length === 0) throw new StudioError('archive-invalid', `${path} is an empty folder: no files to read`);
    const listed = new Set(files);
    return {
      name: path,
      files,
      rejected,
      read: (file) => {
        const contained = containedName(file);
        if ('reason' in contained) throw new StudioError('archive-unsafe', `${file}: ${contained.reason}; only files inside ${path} are read`);
        if (!listed.has(contained.name)) {
          const outside = relative(resolve(path), resolve(path, contained.name)).startsWith('..');
          throw new StudioError(outside ? 'archive-unsafe' : 'archive-invalid', outside ? `${file}: leaves ${path}; only files inside it are read` : `${file} is not in ${path}`);
        }
        return readFileSync(join(path, contained.name));
      },
    };
  }
  const bytes = readFileSync(path);
  const kind = sniffImageFormat(bytes);
  if (kind) throw new StudioError('archive-invalid', `${path} is a ${kind.toUpperCase()} image, not a folder or a zip: give the folder that holds it (or a zip of it)`);
  let listing: ReturnType<typeof listZip>;
  try {
    listing = listZip(bytes);
  } catch (error) {
    throw new StudioError('archive-invalid', `${path}: ${(error as StudioError).detail ?? (error as Error).message}`);
  }
  if (listing.files.length === 0 && listing.rejected.length === 0) throw new StudioError('archive-invalid', `${path} is an empty zip: no files to read`);
  return {
    name: path,
    files: listing.files.sort(),
    rejected: listing.rejected,
    read: (file) => {
      const contained = containedName(file);
      if ('reason' in contained) throw new StudioError('archive-unsafe', `${file}: ${contained.reason}; only entries of ${path} are read`);
      return readZipEntry(bytes, contained.name);
    },
  };
}
