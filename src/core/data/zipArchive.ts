import { unzipSync } from 'fflate';
import { StudioError } from '../errors.ts';
import { formatBytes, MAX_ZIP_ENTRY_BYTES } from '../image/limits.ts';

/**
 * Adapter over fflate for a zip the user brings. Entries are read one at a
 * time (the archive's bytes stay as they are; each file is inflated only when
 * asked for), and nothing is ever written to disk. Names that would escape a
 * folder (`..` segments, absolute paths, drive letters) are refused, listed
 * with the reason, and never inflated; so are entries that declare more than
 * MAX_ZIP_ENTRY_BYTES inflated (a zip bomb), checked from the central directory
 * before anything is allocated. An entry is inflated into a buffer of its
 * declared size, so one that lies about its size cannot grow past it (it is
 * cut there, and the image decoder then reports a truncated file).
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

/** Why an entry of this declared inflated size is not read, if it is not. */
export function oversizeReason(originalSize: number): string | undefined {
  if (originalSize <= MAX_ZIP_ENTRY_BYTES) return undefined;
  return `declares ${formatBytes(originalSize)} uncompressed, above the ${formatBytes(MAX_ZIP_ENTRY_BYTES)} limit for one entry (a zip bomb?); not inflated`;
}

/** A zip starts with a local file header (PK 03 04) or, when empty, the end record (PK 05 06). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

function requireZip(bytes: Uint8Array): void {
  if (looksLikeZip(bytes)) return;
  const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new StudioError('archive-invalid', `not a zip file (${bytes.length} bytes starting ${head || '(empty)'}; a zip starts 50 4b 03 04)`);
}

export function listZip(bytes: Uint8Array): ZipListing {
  const listing: ZipListing = { files: [], rejected: [] };
  requireZip(bytes);
  try {
    unzipSync(bytes, {
      filter: ({ name, originalSize }) => {
        const reason = unsafeReason(name) ?? (name.endsWith('/') ? undefined : oversizeReason(originalSize));
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
    entry = unzipSync(bytes, {
      filter: (info) => {
        if (info.name.replace(/\\/g, '/') !== name) return false;
        const tooBig = oversizeReason(info.originalSize);
        if (tooBig) throw new StudioError('archive-unsafe', `${name}: ${tooBig}`);
        return true;
      },
    })[name];
  } catch (error) {
    if (error instanceof StudioError) throw error;
    // fflate inflates into a buffer of the declared size and overruns it when the entry holds more
    if (error instanceof RangeError) throw new StudioError('archive-invalid', `${name}: inflates to more than the size its zip header declares: the zip is damaged or crafted; not read`);
    throw new StudioError('archive-invalid', `${name}: could not be inflated (the zip is damaged): ${(error as Error)?.message ?? error}`);
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
  requireZip(bytes);
  const rejected: ZipListing['rejected'] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: ({ name, originalSize }) => {
        const reason = unsafeReason(name) ?? (name.endsWith('/') ? undefined : oversizeReason(originalSize));
        if (reason) rejected.push({ name, reason });
        return !reason && !name.endsWith('/');
      },
    });
  } catch (error) {
    throw new StudioError('archive-invalid', `zip could not be read: ${(error as Error)?.message ?? error}`);
  }
  return { files: new Map(Object.entries(entries).map(([name, data]) => [name.replace(/\\/g, '/'), data])), rejected };
}
