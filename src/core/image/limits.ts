/**
 * The stated limits on what the studio decodes, checked against what a file
 * declares (PNG IHDR, JPEG SOF, DICOM Rows/Columns, zip entry sizes) before
 * anything is allocated, so a small file that claims a huge image is refused
 * in milliseconds instead of taking gigabytes.
 */

/** Longest side a file may declare. */
export const MAX_DECLARED_SIDE = 16384;
/** Pixels a file may declare (about 7070 x 7070: above any detector; 200 MB as float32). */
export const MAX_DECLARED_PIXELS = 50_000_000;
/** Inflated size one zip entry may declare (and is held to). */
export const MAX_ZIP_ENTRY_BYTES = 256 * 1024 * 1024;

/** Smallest side of a radiograph the models are asked to score. */
export const MIN_IMAGE_SIDE = 64;
/** Long side / short side above this is not a chest radiograph (detectors are at most about 1.25). */
export const MAX_ASPECT_RATIO = 3;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
