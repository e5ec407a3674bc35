import { buildJobSpec } from '../../core/batch/buildJobSpec.ts';
import { jobFromProvenance } from '../../core/batch/jobFromProvenance.ts';
import { StudioError } from '../../core/errors.ts';
import type { ProxyThresholds } from '../../core/curation/proxyFilter.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { encodeMaskPng } from '../../core/mask/maskPng.ts';
import type { GalleryEntry } from '../../storage/gallery.ts';
import { jobFiles } from './exportBatchJob.ts';

/**
 * The images being curated as a batch job: their prompts, masks (as the 0/255 PNGs of the
 * masks they were conditioned on) and sampling, from their provenance, over `seedCount`
 * seeds from their lowest seed, kept by Curate's thresholds.
 */
export async function curateJobFiles(manifest: Manifest, entries: readonly GalleryEntry[], seedCount: number, filter: ProxyThresholds): Promise<Record<string, Uint8Array>> {
  const job = jobFromProvenance(entries, manifest.id);
  if (!job) {
    throw new StudioError('settings-invalid', entries.length === 0
      ? 'there are no generated images here to make a job from: generate some first'
      : `none of the ${entries.length} images here was made with the active bundle ${manifest.id}: switch to their bundle on the Models page`);
  }
  const masks = job.masks.map((m, i) => ({ path: `masks/m${i + 1}.png`, bytes: encodeMaskPng(m.raster, m.side), ...(m.convention ? { convention: m.convention } : {}) }));
  const spec = await buildJobSpec({
    manifest,
    prompts: job.prompts,
    ...(job.negativePrompt ? { negativePrompt: job.negativePrompt } : {}),
    masks,
    seeds: { start: job.seedStart, count: seedCount },
    settings: job.settings,
    filter,
  });
  return jobFiles(spec, masks);
}
