import type { Manifest } from '../../core/manifest/types.ts';
import type { SchedulerName } from '../../core/schedulers/types.ts';
import { runBatch } from '../generate/actions.ts';
import { useGenerate } from '../generate/generateStore.ts';

/**
 * Generate's "Try with example data": one image from one of the bundle's example prompts and
 * its first example lung mask, at its fast settings (about 6 s on WASM). Unlike Curate's, the
 * form keeps these settings, so the left panel shows what made the image.
 */
export async function generateExample(manifest: Manifest): Promise<void> {
  const generate = useGenerate.getState();
  const fast = manifest.diffusion?.fast ?? manifest.diffusion?.defaults;
  const mask = manifest.example_masks?.[0];
  generate.update({
    prompt: manifest.prompt?.examples?.[1] ?? manifest.prompt?.examples?.[0] ?? generate.settings.prompt,
    negativePrompt: '',
    mask: mask ? { kind: 'example', file: mask.file, layer: mask.layer, convention: mask.convention } : { kind: 'none' },
    ...(fast ? { steps: fast.steps, guidance: fast.guidance, scheduler: fast.scheduler as SchedulerName } : {}),
    batchSize: 1,
  });
  await runBatch(manifest);
}
