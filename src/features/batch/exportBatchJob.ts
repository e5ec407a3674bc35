import { buildJobSpec } from '../../core/batch/buildJobSpec.ts';
import type { BatchJobSpec } from '../../core/batch/jobSpec.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import type { ProxyThresholds } from '../../core/curation/proxyFilter.ts';
import { bundleUrl } from '../models/queries.ts';
import type { GenerateSettings, MaskChoice } from '../generate/generateStore.ts';

interface JobMask {
  bytes: Uint8Array;
  convention?: string;
}

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
      return choice.items.map((item) => ({ bytes: item.bytes, ...convention(item.convention) }));
  }
}

/**
 * The Generate page's current prompt, mask(s) and sampling as a batch job over
 * `seedCount` seeds from the form's seed: spec.json and masks/m<N>.png (masks
 * named by index, so no file name of the user's travels), for `cxr-studio batch`.
 */
export async function generateJobFiles(manifest: Manifest, settings: GenerateSettings, seedCount: number, filter: ProxyThresholds): Promise<Record<string, Uint8Array>> {
  const masks = (await masksOf(manifest, settings.mask)).map((m, i) => ({ ...m, path: `masks/m${i + 1}.png` }));
  const spec = await buildJobSpec({
    manifest,
    prompts: [settings.prompt],
    ...(settings.negativePrompt.trim() ? { negativePrompt: settings.negativePrompt } : {}),
    masks,
    seeds: { start: settings.seed, count: seedCount },
    settings: { steps: settings.steps, guidance: settings.guidance, scheduler: settings.scheduler },
    filter,
  });
  return jobFiles(spec, masks);
}

/** A job's files as they lie in its zip: spec.json and the mask PNGs it names. */
export function jobFiles(spec: BatchJobSpec, masks: ReadonlyArray<{ path: string; bytes: Uint8Array }>): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = { 'spec.json': new TextEncoder().encode(`${JSON.stringify(spec, null, 2)}\n`) };
  for (const mask of masks) files[mask.path] = mask.bytes;
  return files;
}
