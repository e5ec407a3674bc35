import { buildJobSpec } from '../../core/batch/buildJobSpec.ts';
import { StudioError } from '../../core/errors.ts';
import type { ProxyThresholds } from '../../core/curation/proxyFilter.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { encodeMaskPng } from '../../core/mask/maskPng.ts';
import type { GenerateSettings } from '../generate/generateStore.ts';
import type { useMasks } from '../masks/maskStore.ts';
import { jobFiles, withPaths } from './exportBatchJob.ts';

type MaskState = ReturnType<typeof useMasks.getState>;

function hasPixels(mask: Uint8Array | undefined): boolean {
  return mask !== undefined && mask.some((v) => v > 0);
}

/**
 * The Masks page as a batch job: with variants on the page, the layers they were made
 * from and their recipe (count, seed, ranges), which `batch run` expands with the same
 * randomVariants and transformMask; without, the current layers as they are. The lung
 * layer is the mask, every other layer with pixels (lesion) goes with it, as "Generate
 * from all" sends them. The prompt and sampling are the Generate form's, which that
 * button would use.
 */
export async function masksJobFiles(manifest: Manifest, masks: MaskState, settings: GenerateSettings, seedCount: number, filter: ProxyThresholds): Promise<Record<string, Uint8Array>> {
  const base = masks.variants.length > 0 ? masks.variantBase : undefined;
  const layers = base?.layers ?? masks.layers;
  if (!hasPixels(layers.lung)) throw new StudioError('settings-invalid', 'the lung layer is empty: draw or load a lung mask first');
  const convention = base ? base.convention : masks.conventions.lung;
  const extraLayers = masks.layerOrder
    .filter((name) => name !== 'lung' && hasPixels(layers[name]))
    .map((layer) => ({ layer, bytes: encodeMaskPng(layers[layer], masks.side) }));
  const mask = withPaths({ bytes: encodeMaskPng(layers.lung, masks.side), ...(convention ? { convention } : {}), extraLayers }, 0);
  const spec = await buildJobSpec({
    manifest,
    prompts: [settings.prompt],
    ...(settings.negativePrompt.trim() ? { negativePrompt: settings.negativePrompt } : {}),
    masks: [mask],
    ...(base ? { variants: { count: base.count, seed: base.seed, ranges: base.ranges } } : {}),
    seeds: { start: settings.seed, count: seedCount },
    settings: { steps: settings.steps, guidance: settings.guidance, scheduler: settings.scheduler, ...(settings.unet === 'unet_guided' ? { unet: settings.unet } : {}) },
    filter,
  });
  return jobFiles(spec, [mask]);
}
