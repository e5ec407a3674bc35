import { zipSync } from 'fflate';
import { sha256Hex } from '../../core/manifest/verifyFile.ts';
import { encodeMaskPng } from '../../core/mask/maskPng.ts';
import { isIdentityTransform, transformMask, type MaskTransform } from '../../core/mask/transform.ts';
import { randomVariants } from '../../core/mask/variants.ts';
import { queueMaskBatch, type QueuedMask } from '../generate/generateStore.ts';
import { useMasks, type MaskVariant } from './maskStore.ts';
import { downloadFile } from '../../ui/download.ts';

/** N seeded variants of the current layers, drawn from the ranges on the page. */
export function makeVariants(): void {
  const { ranges, variantCount, variantSeed, layers, side, conventions } = useMasks.getState();
  try {
    const transforms = randomVariants(ranges, variantCount, variantSeed);
    const variants: MaskVariant[] = transforms.map((transform, i) => ({
      id: `v${variantSeed}-${i + 1}`,
      transform,
      layers: Object.fromEntries(Object.entries(layers).map(([name, mask]) => [name, transformMask(mask, side, transform)])),
    }));
    const variantBase = { layers: Object.fromEntries(Object.entries(layers).map(([name, mask]) => [name, mask.slice()])), ...(conventions.lung ? { convention: conventions.lung } : {}), count: variantCount, seed: variantSeed, ranges };
    useMasks.getState().set({ variants, variantBase, message: undefined });
  } catch (error) {
    useMasks.getState().set({ message: { kind: 'error', text: `Random variants: ${error instanceof Error ? error.message : String(error)}` } });
  }
}

function hasPixels(mask: Uint8Array): boolean {
  return mask.some((v) => v > 0);
}

/**
 * A mask as a generator input: the lung layer as the main mask, every other layer the
 * bundle understands that has pixels (lesion) as an extra layer, with the PNG hashes and
 * the transform recorded for provenance.
 */
async function queued(name: string, layers: Record<string, Uint8Array>, transform: MaskTransform | undefined): Promise<QueuedMask> {
  const { side, conventions, origin, layerOrder } = useMasks.getState();
  const extraLayers = layerOrder
    .filter((layer) => layer !== 'lung' && layers[layer] && hasPixels(layers[layer]))
    .map((layer) => ({ name: `${name}-${layer}.png`, bytes: encodeMaskPng(layers[layer], side), layer }));
  const extra = await Promise.all(extraLayers.map(async (l) => ({ layer: l.layer, name: l.name, sha256: await sha256Hex(l.bytes) })));
  return {
    name: `${name}.png`,
    bytes: encodeMaskPng(layers.lung, side),
    layer: 'lung',
    ...(conventions.lung ? { convention: conventions.lung } : {}),
    ...(extraLayers.length > 0 ? { extraLayers } : {}),
    editor: { source: origin, transform: transform && !isIdentityTransform(transform) ? transform : null, ...(extra.length > 0 ? { extra_layers: extra } : {}) },
  };
}

/** Queue masks on the Generate page as one batch and go there. */
export async function sendToGenerator(variantIds: string[] | 'current'): Promise<void> {
  const { variants, layers, origin } = useMasks.getState();
  const picked = variantIds === 'current'
    ? [{ name: origin, layers, transform: undefined }]
    : variants.filter((v) => variantIds.includes(v.id)).map((v) => ({ name: `${origin}-${v.id}`, layers: v.layers, transform: v.transform }));
  if (picked.length === 0) return;
  if (picked.some((p) => !hasPixels(p.layers.lung))) {
    useMasks.getState().set({ message: { kind: 'error', text: 'The lung layer is empty: draw or load a lung mask before generating.' } });
    return;
  }
  queueMaskBatch(await Promise.all(picked.map((p) => queued(p.name, p.layers, p.transform))));
  location.hash = '#/generate';
}

/** The active layer as an 8-bit PNG with values 0 and 255. */
export function exportActiveLayer(): void {
  const { layers, activeLayer, side, origin } = useMasks.getState();
  downloadFile(`${origin}-${activeLayer}.png`, encodeMaskPng(layers[activeLayer], side), 'image/png');
}

/** Every variant's every layer as PNGs, with their transform parameters, in one zip. */
export function exportVariants(): void {
  const { variants, side, origin } = useMasks.getState();
  if (variants.length === 0) return;
  const files: Record<string, Uint8Array> = {};
  for (const v of variants) {
    for (const [layer, mask] of Object.entries(v.layers)) files[`${layer}/${origin}-${v.id}.png`] = encodeMaskPng(mask, side);
    files[`params/${origin}-${v.id}.json`] = new TextEncoder().encode(JSON.stringify(v.transform, null, 2));
  }
  downloadFile(`${origin}-variants.zip`, zipSync(files, { level: 0 }), 'application/zip');
}
