import { Text } from '@mantine/core';
import { useMemo } from 'react';
import { jobFromProvenance } from '../../core/batch/jobFromProvenance.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { useCurate } from '../curate/curateStore.ts';
import { useGenerate } from '../generate/generateStore.ts';
import { useBundleDefaults } from '../generate/useBundleDefaults.ts';
import { useMasks } from '../masks/maskStore.ts';
import { curateJobFiles } from './curateJob.ts';
import { generateJobFiles } from './exportBatchJob.ts';
import { ExportBatchJob } from './ExportBatchJob.tsx';
import { masksJobFiles } from './masksJob.ts';

/** Generate: the form's prompt, mask(s) and sampling, from the form's seed. */
export function GenerateBatchJob({ manifest }: { manifest: Manifest }) {
  return <ExportBatchJob seedsFrom="From the form's seed" files={(n) => generateJobFiles(manifest, useGenerate.getState().settings, n, useCurate.getState().thresholds)} />;
}

/**
 * Masks: the shown variants' recipe and base mask (or the current mask), with the
 * Generate form's prompt and sampling: the page has no prompt of its own, and these are
 * the settings "Generate from all" would make its images with.
 */
export function MasksBatchJob({ manifest }: { manifest: Manifest }) {
  useBundleDefaults(manifest);
  const variants = useMasks((s) => s.variants.length);
  const settings = useGenerate((s) => s.settings);
  return (
    <ExportBatchJob seedsFrom="From the Generate form's seed" files={(n) => masksJobFiles(manifest, useMasks.getState(), useGenerate.getState().settings, n, useCurate.getState().thresholds)}>
      <Text size="xs" c="dimmed" data-testid="masks-batch-summary">
        {variants > 0 ? `The ${variants} variants below (their mask, seed and ranges)` : 'The current lung mask'} with the Generate form&apos;s prompt &ldquo;{settings.prompt}&rdquo;, {settings.steps} steps, guidance {settings.guidance}, {settings.scheduler}; kept by Curate&apos;s thresholds.
      </Text>
    </ExportBatchJob>
  );
}

/** Curate: the gallery's prompts, masks and sampling (from their provenance), with the thresholds set here. */
export function CurateBatchJob({ manifest }: { manifest: Manifest }) {
  const entries = useCurate((s) => s.entries);
  const job = useMemo(() => jobFromProvenance(entries, manifest.id), [entries, manifest.id]);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    <ExportBatchJob seedsFrom="From the set's lowest seed" files={(n) => curateJobFiles(manifest, useCurate.getState().entries, n, useCurate.getState().thresholds)}>
      <Text size="xs" c="dimmed" data-testid="curate-batch-summary">
        {job
          ? `Every prompt with every mask of ${plural(job.used, 'image')} here (${plural(job.prompts.length, 'prompt')}, ${job.masks.length > 0 ? plural(job.masks.length, 'mask') : 'no mask'}; ${job.settings.steps} steps, guidance ${job.settings.guidance}, ${job.settings.scheduler}${job.settings.unet === 'unet_guided' ? ', one-pass UNet' : ''}) over new seeds, kept by the thresholds above.${job.leftOut > 0 ? ` ${plural(job.leftOut, 'image')} made with other sampling, mask use, a lesion layer or another bundle ${job.leftOut === 1 ? 'is' : 'are'} not in it.` : ''}`
          : `No image here was made with ${manifest.id} yet.`}
      </Text>
    </ExportBatchJob>
  );
}
