import type { Manifest } from '../../core/manifest/types.ts';
import { presetSettings } from '../../core/generation/index.ts';
import { loadCuration, scoreGallery } from '../curate/actions.ts';
import { runBatch } from '../generate/actions.ts';
import { useGenerate } from '../generate/generateStore.ts';

/** Enough images to filter, sort and review, few enough for a laptop without a GPU (about 6 s each on WASM). */
const EXAMPLE_BATCH = 4;

/**
 * Curate's "Try with example data": Curate works on generated images, so the example is
 * a small batch made here (one of the bundle's example prompts, its first example mask, its fast
 * settings), then scored with the proxy model. The Generate page's own settings are
 * put back afterwards.
 */
export async function curateExampleBatch(manifest: Manifest): Promise<void> {
  const generate = useGenerate.getState();
  const saved = generate.settings;
  const fast = manifest.diffusion?.fast ?? manifest.diffusion?.defaults;
  const mask = manifest.example_masks?.[0];
  generate.update({
    prompt: manifest.prompt?.examples?.[1] ?? manifest.prompt?.examples?.[0] ?? saved.prompt,
    negativePrompt: '',
    mask: mask ? { kind: 'example', file: mask.file, layer: mask.layer, convention: mask.convention } : { kind: 'none' },
    ...(fast ? presetSettings(fast) : {}),
    seed: 1,
    batchSize: EXAMPLE_BATCH,
  });
  try {
    await runBatch(manifest);
  } finally {
    useGenerate.getState().update(saved);
  }
  await loadCuration();
  await scoreGallery();
}
