import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { BatchSpecError, validateJobSpec, type BatchJobSpec } from '../../src/core/batch/jobSpec.ts';
import { bundleFingerprint } from '../../src/core/batch/bundleFingerprint.ts';
import type { WorkItem } from '../../src/core/batch/workItems.ts';
import type { Manifest } from '../../src/core/manifest/types.ts';
import { sha256Hex } from '../../src/core/manifest/verifyFile.ts';
import { generatorMaskSide, readMask, type MaskSource } from '../../src/core/generation/index.ts';
import { encodeMaskPng } from '../../src/core/mask/maskPng.ts';
import { transformMask, type MaskTransform } from '../../src/core/mask/transform.ts';
import { randomVariants } from '../../src/core/mask/variants.ts';
import { defaultBundleDir, MODELS_ROOT, readBundle } from '../bundle.ts';

/** A spec read from disk: its masks' PNG bytes (hash-checked) and the variant recipe's transforms. */
export interface LoadedJob {
  spec: BatchJobSpec;
  specPath: string;
  masks: Array<{ name: string; bytes: Uint8Array; convention?: string; extraLayers: Array<{ layer: string; name: string; bytes: Uint8Array }> }>;
  transforms: MaskTransform[];
  side: number;
}

/** The conditioning mask of one work item as the generation job takes it, and what the Masks editor would record. */
export interface ItemMask {
  source: MaskSource;
  /** Its other layers with pixels (lesion), as the generation job's extraMasks. */
  extraMasks: MaskSource[];
  editor?: Record<string, unknown>;
}

export function readJobSpec(specPath: string): BatchJobSpec {
  if (!existsSync(specPath)) throw new BatchSpecError([`${specPath}: no such file`]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(specPath, 'utf8'));
  } catch (error) {
    throw new BatchSpecError([`${specPath} is not valid JSON: ${(error as Error).message}`]);
  }
  return validateJobSpec(json);
}

/** Reads the spec's masks, checking each against its sha256, and draws the variant recipe's transforms. */
export async function loadJob(specPath: string, manifest: Manifest): Promise<LoadedJob> {
  const spec = readJobSpec(specPath);
  const folder = dirname(resolve(specPath));
  const read = async (where: string, file: { path: string; sha256: string }) => {
    const path = join(folder, file.path);
    if (!existsSync(path)) throw new BatchSpecError([`${where}.path: ${path} does not exist (mask paths are relative to the spec file)`]);
    const bytes = new Uint8Array(readFileSync(path));
    const actual = await sha256Hex(bytes);
    if (actual !== file.sha256) throw new BatchSpecError([`${where}: ${file.path} has sha256 ${actual}, the spec expects ${file.sha256} (the file changed since the spec was made)`]);
    return { name: basename(file.path), bytes };
  };
  const masks = await Promise.all(spec.masks.map(async (mask, i) => ({
    ...(await read(`masks[${i}]`, mask)),
    ...(mask.convention ? { convention: mask.convention } : {}),
    extraLayers: await Promise.all((mask.extraLayers ?? []).map(async (l, j) => ({ layer: l.layer, ...(await read(`masks[${i}].extraLayers[${j}]`, l)) }))),
  })));
  const transforms = spec.variants ? randomVariants(spec.variants.ranges, spec.variants.count, spec.variants.seed) : [];
  return { spec, specPath, masks, transforms, side: generatorMaskSide(manifest) };
}

/**
 * The mask an item is generated with: the files as they are, or its variant made as the
 * Masks page makes it (same ranges, count and seed give the same transforms, applied to
 * every layer; a layer the transform leaves empty is not sent, as on the page; the
 * variant travels as its 0/255 PNG, named <file>-v<seed>-<n>.png, with the transform as
 * mask_editor).
 */
export function itemMask(job: LoadedJob, item: WorkItem, manifest: Manifest): ItemMask | undefined {
  if (item.maskIndex === null) return undefined;
  const base = job.masks[item.maskIndex];
  const convention = base.convention ? { convention: base.convention } : {};
  if (item.variantIndex === null) {
    return { source: { name: base.name, bytes: base.bytes, layer: 'lung', ...convention }, extraMasks: base.extraLayers.map((l) => ({ name: l.name, bytes: l.bytes, layer: l.layer })) };
  }
  const transform = job.transforms[item.variantIndex];
  const stem = `${basename(base.name, extname(base.name))}-v${job.spec.variants!.seed}-${item.variantIndex + 1}`;
  const vary = (layer: { name: string; bytes: Uint8Array; layer: string }) => transformMask(readMask(layer, manifest).data, job.side, transform);
  const extraMasks = base.extraLayers
    .map((l) => ({ layer: l.layer, mask: vary(l) }))
    .filter((l) => l.mask.some((v) => v > 0))
    .map((l) => ({ name: `${stem}-${l.layer}.png`, bytes: encodeMaskPng(l.mask, job.side), layer: l.layer }));
  return {
    source: { name: `${stem}.png`, bytes: encodeMaskPng(vary({ ...base, layer: 'lung' }), job.side), layer: 'lung', ...convention },
    extraMasks,
    editor: { source: base.name, transform },
  };
}

/**
 * The bundle a spec was made for: --model-dir when given, else public/models/<bundle.id>
 * when present, else the default bundle; refused unless its id and fingerprint match.
 */
export async function bundleForSpec(spec: BatchJobSpec, modelDir?: string): Promise<{ dir: string; manifest: Manifest }> {
  const byId = join(MODELS_ROOT, spec.bundle.id);
  const dir = modelDir ?? (existsSync(join(byId, 'manifest.json')) ? byId : defaultBundleDir());
  const manifest = readBundle(dir);
  const fingerprint = await bundleFingerprint(manifest);
  if (manifest.id !== spec.bundle.id || fingerprint !== spec.bundle.fingerprint) {
    throw new BatchSpecError([
      `bundle: the spec was made with ${spec.bundle.id} (fingerprint ${spec.bundle.fingerprint.slice(0, 12)}...), ${dir} holds ${manifest.id} (fingerprint ${fingerprint.slice(0, 12)}...); pass --model-dir with the spec's bundle`,
    ]);
  }
  return { dir, manifest };
}
