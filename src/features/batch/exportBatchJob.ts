import { buildJobSpec, type JobMaskInput } from '../../core/batch/buildJobSpec.ts';
import type { BatchJobSpec } from '../../core/batch/jobSpec.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import type { ProxyThresholds } from '../../core/curation/proxyFilter.ts';
import { bundleUrl } from '../models/queries.ts';
import type { GenerateSettings, MaskChoice } from '../generate/generateStore.ts';

type JobMask = Omit<JobMaskInput, 'path' | 'extraLayers'> & { extraLayers?: Array<{ layer: string; bytes: Uint8Array }> };

/** The mask PNGs the Generate page would use: none, the picked file or example, or each mask queued from the Masks page. */
async function masksOf(manifest: Manifest, choice: MaskChoice): Promise<JobMask[]> {
  const convention = (c?: string) => (c ? { convention: c } : {});
  switch (choice.kind) {
    case 'none':
      return [];
    case 'file':
      return [{ bytes: choice.bytes, ...convention(choice.convention) }];
    case 'example': {
      const response = await fetch(new URL(choice.file, bundleUrl(manifest.id)));
      if (!response.ok) throw new Error(`example mask ${choice.file}: the server answered ${response.status}`);
      return [{ bytes: new Uint8Array(await response.arrayBuffer()), ...convention(choice.convention) }];
    }
    case 'batch':
      return choice.items.map((item) => ({
        bytes: item.bytes,
        ...convention(item.convention),
        ...(item.extraLayers?.length ? { extraLayers: item.extraLayers.map((l) => ({ layer: l.layer, bytes: l.bytes })) } : {}),
      }));
  }
}

/** A job's mask as it lies in the zip: masks/m<N>.png, its extra layers masks/m<N>-<layer>.png (by index and layer, no user file name). */
export function withPaths(mask: JobMask, index: number): JobMaskInput {
  const stem = `masks/m${index + 1}`;
  const { extraLayers, ...lung } = mask;
  return { ...lung, path: `${stem}.png`, ...(extraLayers?.length ? { extraLayers: extraLayers.map((l) => ({ ...l, path: `${stem}-${l.layer}.png` })) } : {}) };
}

/**
 * The Generate page's current prompt, mask(s) and sampling as a batch job over
 * `seedCount` seeds from the form's seed: spec.json and masks/m<N>.png (masks
 * and their layers named by index, so no file name of the user's travels), for `cxr-studio batch`.
 */
export async function generateJobFiles(manifest: Manifest, settings: GenerateSettings, seedCount: number, filter: ProxyThresholds): Promise<Record<string, Uint8Array>> {
  const masks = (await masksOf(manifest, settings.mask)).map((m, i) => withPaths(m, i));
  const spec = await buildJobSpec({
    manifest,
    prompts: [settings.prompt],
    ...(settings.negativePrompt.trim() ? { negativePrompt: settings.negativePrompt } : {}),
    masks,
    seeds: { start: settings.seed, count: seedCount },
    settings: { steps: settings.steps, guidance: settings.guidance, scheduler: settings.scheduler, ...(settings.unet === 'unet_guided' ? { unet: settings.unet } : {}) },
    filter,
  });
  return jobFiles(spec, masks);
}

/** A job's files as they lie in its zip: spec.json and the mask PNGs it names. */
export function jobFiles(spec: BatchJobSpec, masks: readonly JobMaskInput[]): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = { 'spec.json': new TextEncoder().encode(`${JSON.stringify(spec, null, 2)}\n`) };
  for (const mask of masks) for (const file of [mask, ...(mask.extraLayers ?? [])]) files[file.path] = file.bytes;
  return files;
}
