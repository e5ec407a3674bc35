import { buildJobSpec } from '../../core/batch/buildJobSpec.ts';
import { StudioError } from '../../core/errors.ts';
import type { ProxyThresholds } from '../../core/curation/proxyFilter.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { encodeMaskPng } from '../../core/mask/maskPng.ts';
import type { GenerateSettings } from '../generate/generateStore.ts';
import type { useMasks } from '../masks/maskStore.ts';
import { jobFiles } from './exportBatchJob.ts';

type MaskState = ReturnType<typeof useMasks.getState>;

function hasPixels(mask: Uint8Array | undefined): boolean {
  return mask !== undefined && mask.some((v) => v > 0);
}

/**
 * The Masks page as a batch job: with variants on the page, the lung layer they were
 * made from and their recipe (count, seed, ranges), which `batch run` expands with the
 * same randomVariants and transformMask; without, the current lung layer as it is. The
 * prompt and sampling are the Generate form's, as "Generate from all" would use them.
 */
export async function masksJobFiles(manifest: Manifest, masks: MaskState, settings: GenerateSettings, seedCount: number, filter: ProxyThresholds): Promise<Record<string, Uint8Array>> {
  const base = masks.variants.length > 0 ? masks.variantBase : undefined;
  const shown = masks.variants.length > 0 ? masks.variants.map((v) => v.layers) : [masks.layers];
  const lung = base?.lung ?? masks.layers.lung;
  if (!hasPixels(lung)) throw new StudioError('settings-invalid', 'the lung layer is empty: draw or load a lung mask first');
  const others = [...new Set(shown.flatMap((layers) => Object.keys(layers).filter((name) => name !== 'lung' && hasPixels(layers[name]))))];
  if (others.length > 0) {
    throw new StudioError('settings-invalid', `a batch job carries the lung layer only, and the ${others.join(', ')} layer has pixels that it would leave out: clear that layer, or use "Generate from all" for these masks`);
  }
  const convention = base ? base.convention : masks.conventions.lung;
  const mask = { path: 'masks/m1.png', bytes: encodeMaskPng(lung, masks.side), ...(convention ? { convention } : {}) };
  const spec = await buildJobSpec({
    manifest,
    prompts: [settings.prompt],
    ...(settings.negativePrompt.trim() ? { negativePrompt: settings.negativePrompt } : {}),
    masks: [mask],
    ...(base ? { variants: { count: base.count, seed: base.seed, ranges: base.ranges } } : {}),
    seeds: { start: settings.seed, count: seedCount },
    settings: { steps: settings.steps, guidance: settings.guidance, scheduler: settings.scheduler },
    filter,
  });
  return jobFiles(spec, [mask]);
}
