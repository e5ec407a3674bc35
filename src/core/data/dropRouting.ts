/**
 * Where the files of one drop on the Evaluate page go, by name alone: the shallowest
 * CSV is the labels file; a zip whose name says "mask" holds the masks, another zip the
 * images; loose images under a folder named mask/masks (or masks_*) are masks, the
 * other images are the images. A folder laid out as ../shared/data/cxr256/<set> (images/,
 * masks/, labels.csv) is routed whole.
 */
export interface DroppedFile<F> {
  /** Path inside the drop, folders included (`set/images/a.png`). */
  path: string;
  file: F;
}

export interface DropRouting<F> {
  images: DroppedFile<F>[];
  masks: DroppedFile<F>[];
  labels?: DroppedFile<F>;
  /** Paths not used, with the reason. */
  ignored: { path: string; reason: string }[];
}

const IMAGE = /\.(png|jpe?g|dcm|dicom)$/i;
const TABLE = /\.(csv|tsv|txt)$/i;
const MASK_FOLDER = /^masks?(_.*)?$/i;

export function routeDrop<F>(dropped: readonly DroppedFile<F>[]): DropRouting<F> {
  const out: DropRouting<F> = { images: [], masks: [], ignored: [] };
  const depth = (p: string) => p.split('/').length;
  const tables = dropped.filter((d) => TABLE.test(d.path)).sort((a, b) => depth(a.path) - depth(b.path));
  out.labels = tables[0];
  for (const extra of tables.slice(1)) out.ignored.push({ path: extra.path, reason: `a second table; ${tables[0].path} is the labels file` });
  const zips = dropped.filter((d) => /\.zip$/i.test(d.path));
  const maskZip = zips.find((d) => /mask/i.test(d.path.split('/').pop()!));
  const imageZip = zips.find((d) => d !== maskZip);
  if (maskZip) out.masks.push(maskZip);
  if (imageZip) out.images.push(imageZip);
  for (const zip of zips) if (zip !== maskZip && zip !== imageZip) out.ignored.push({ path: zip.path, reason: 'one zip of images and one of masks per drop' });
  for (const d of dropped) {
    if (TABLE.test(d.path) || /\.zip$/i.test(d.path)) continue;
    const folders = d.path.split('/').slice(0, -1);
    const name = d.path.split('/').pop()!;
    const isImage = IMAGE.test(name) || !name.includes('.'); // DICOM files often have no extension
    if (!isImage) out.ignored.push({ path: d.path, reason: 'not a PNG, JPEG, DICOM, CSV or zip' });
    else if (folders.some((f) => MASK_FOLDER.test(f))) out.masks.push(d);
    else out.images.push(d);
  }
  if (out.images.length && out.images.some((d) => /\.zip$/i.test(d.path)) && out.images.length > 1) {
    out.ignored.push(...out.images.filter((d) => !/\.zip$/i.test(d.path)).map((d) => ({ path: d.path, reason: 'images come from the zip in this drop' })));
    out.images = out.images.filter((d) => /\.zip$/i.test(d.path));
  }
  if (out.masks.length && out.masks.some((d) => /\.zip$/i.test(d.path)) && out.masks.length > 1) {
    out.ignored.push(...out.masks.filter((d) => !/\.zip$/i.test(d.path)).map((d) => ({ path: d.path, reason: 'masks come from the zip in this drop' })));
    out.masks = out.masks.filter((d) => /\.zip$/i.test(d.path));
  }
  return out;
}
