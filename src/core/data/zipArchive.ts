import { unzipSync } from 'fflate';
import { StudioError } from '../errors.ts';

/**
 * Adapter over fflate for a zip the user brings. Entries are read one at a
 * time (the archive's bytes stay as they are; each file is inflated only when
 * asked for), and nothing is ever written to disk. Names that would escape a
 * folder (`..` segments, absolute paths, drive letters) are refused, listed
 * with the reason, and never inflated.
 */
export interface ZipListing {
  /** Safe file names (folders left out), forward slashes. */
  files: string[];
  rejected: Array<{ name: string; reason: string }>;
}

export function unsafeReason(name: string): string | undefined {
  const normalised = name.replace(/\\/g, '/');
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised)) return 'absolute path';
  if (normalised.split('/').includes('..')) return 'path leaves the archive (contains "..")';
  return undefined;
}

export function listZip(bytes: Uint8Array): ZipListing {
  const listing: ZipListing = { files: [], rejected: [] };
  try {
    unzipSync(bytes, {
      filter: ({ name }) => {
        const reason = unsafeReason(name);
        if (reason) listing.rejected.push({ name, reason });
        else if (!name.endsWith('/')) listing.files.push(name.replace(/\\/g, '/'));
        return false;
      },
    });
  } catch (error) {
    throw new StudioError('archive-invalid', `zip could not be read: ${(error as Error)?.message ?? error}`);
  }
  return listing;
}

export function readZipEntry(bytes: Uint8Array, name: string): Uint8Array {
  if (unsafeReason(name)) throw new StudioError('archive-unsafe', `${name}: ${unsafeReason(name)}`);
  let entry: Uint8Array | undefined;
  try {
    entry = unzipSync(bytes, { filter: (info) => info.name.replace(/\\/g, '/') === name })[name];
  } catch (error) {
    throw new StudioError('archive-invalid', `${name}: could not be inflated: ${(error as Error)?.message ?? error}`);
  }
  if (!entry) throw new StudioError('archive-invalid', `${name} is not in the zip`);
  return entry;
}

/**
 * Every safe file of a small zip, inflated in one pass (readZipEntry scans the archive
 * per call, which is quadratic over a few hundred entries). For sets the user loads
 * whole anyway, such as an experiment's real set; evaluation reads entries one by one.
 */
export function readZipAll(bytes: Uint8Array): { files: Map<string, Uint8Array>; rejected: ZipListing['rejected'] } {
  const rejected: ZipListing['rejected'] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: ({ name }) => {
        const reason = unsafeReason(name);
        if (reason) rejected.push({ name, reason });
        return !reason && !name.endsWith('/');
      },
    });
  } catch (error) {
    throw new StudioError('archive-invalid', `zip could not be read: ${(error as Error)?.message ?? error}`);
  }
  return { files: new Map(Object.entries(entries).map(([name, data]) => [name.replace(/\\/g, '/'), data])), rejected };
}
