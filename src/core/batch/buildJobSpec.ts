import type { Manifest } from '../manifest/types.ts';
import { sha256Hex } from '../manifest/verifyFile.ts';
import { bundleFingerprint } from './bundleFingerprint.ts';
import { BATCH_JOB_FORMAT, validateJobSpec, type BatchJobSpec, type BatchVariantRecipe } from './jobSpec.ts';

export interface JobMaskInput {
  path: string;
  bytes: Uint8Array;
  convention?: string;
  extraLayers?: Array<{ layer: string; path: string; bytes: Uint8Array }>;
}

export interface JobSpecInput {
  manifest: Manifest;
  prompts: string[];
  negativePrompt?: string;
  /** Mask PNGs as they will lie next to spec.json (path relative to it). */
  masks: JobMaskInput[];
  variants?: BatchVariantRecipe;
  seeds: { start: number; count: number };
  settings: BatchJobSpec['settings'];
  filter: BatchJobSpec['filter'];
}

/** A spec from what a page or a script has: the masks' bytes are hashed, the bundle fingerprinted, the result validated. */
export async function buildJobSpec(input: JobSpecInput): Promise<BatchJobSpec> {
  const masks = await Promise.all(input.masks.map(async (m) => ({
    path: m.path,
    sha256: await sha256Hex(m.bytes),
    ...(m.convention ? { convention: m.convention } : {}),
    ...(m.extraLayers?.length ? { extraLayers: await Promise.all(m.extraLayers.map(async (l) => ({ layer: l.layer, path: l.path, sha256: await sha256Hex(l.bytes) }))) } : {}),
  })));
  return validateJobSpec({
    format: BATCH_JOB_FORMAT,
    bundle: { id: input.manifest.id, fingerprint: await bundleFingerprint(input.manifest) },
    prompts: input.prompts,
    ...(input.negativePrompt ? { negativePrompt: input.negativePrompt } : {}),
    masks,
    ...(input.variants ? { variants: input.variants } : {}),
    seeds: input.seeds,
    settings: input.settings,
    filter: input.filter,
  });
}
