import { userMessage } from '../../core/errors.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { useSettings } from '../../app/settingsStore.ts';
import { useStatus } from '../../app/statusStore.ts';
import { deleteGalleryEntry, listGallery, saveGalleryEntry, type GalleryEntry } from '../../storage/gallery.ts';
import { Comlink, diffusionClient } from '../../workers-client/diffusion.ts';
import type { MaskSource } from '../../../workers/diffusion.worker.ts';
import { bundleUrl } from '../models/queries.ts';
import { useGenerate, type MaskChoice } from './generateStore.ts';

export async function loadGallery(): Promise<void> {
  try {
    useGenerate.getState().setGallery(await listGallery());
  } catch (error) {
    useStatus.getState().showError('Reading the gallery', error);
  }
}

async function maskSource(manifest: Manifest, choice: Exclude<MaskChoice, { kind: 'batch' }>): Promise<MaskSource | undefined> {
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'file':
      return { name: choice.name, bytes: choice.bytes, layer: 'lung', ...(choice.convention ? { convention: choice.convention } : {}) };
    case 'example': {
      const response = await fetch(new URL(choice.file, bundleUrl(manifest.id)));
      if (!response.ok) throw new Error(`example mask ${choice.file}: the server answered ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { name: choice.file, bytes, layer: choice.layer, ...(choice.convention ? { convention: choice.convention } : {}) };
    }
  }
}

/** One mask per batch entry: the chosen one, or each mask queued from the Masks page. */
async function maskSources(manifest: Manifest, choice: MaskChoice): Promise<{ mask?: MaskSource; extraMasks?: MaskSource[]; editor?: Record<string, unknown> }[]> {
  if (choice.kind !== 'batch') return [{ mask: await maskSource(manifest, choice) }];
  return choice.items.map(({ editor, extraLayers, ...mask }) => ({ mask, editor, ...(extraLayers?.length ? { extraMasks: extraLayers } : {}) }));
}

/**
 * Makes `batchSize` images with seeds seed, seed+1, ... one after another, saving each
 * to IndexedDB as soon as it exists, so a cancel or an error keeps what was finished.
 */
export async function runBatch(manifest: Manifest): Promise<void> {
  const store = useGenerate.getState();
  if (store.run) return;
  const { settings } = store;
  store.setOutcome(undefined);
  const startedAt = performance.now();
  let finished = 0;
  const masksQueued = settings.mask.kind === 'batch' ? settings.mask.items.length : 1;
  const total = settings.batchSize * masksQueued;
  store.setRun({ batchSize: total, image: 0, step: 0, totalSteps: settings.steps, startedAt, elapsedMs: 0, cancelling: false });
  try {
    const { api } = await diffusionClient(useSettings.getState().backend);
    const sources = await maskSources(manifest, settings.mask);
    for (let i = 0; i < total; i++) {
      const { mask, extraMasks, editor } = sources[Math.floor(i / settings.batchSize)];
      if (useGenerate.getState().run?.cancelling) throw Object.assign(new Error('cancelled before the next image'), { code: 'aborted' });
      useGenerate.getState().patchRun({ image: i, step: 0 });
      const onProgress = Comlink.proxy((e: { type: string; step?: number; total?: number }) => {
        if (e.type === 'step') useGenerate.getState().patchRun({ step: e.step, totalSteps: e.total, elapsedMs: performance.now() - startedAt });
      });
      const job = { prompt: settings.prompt, negativePrompt: settings.negativePrompt, seed: (settings.seed + (i % settings.batchSize)) >>> 0, steps: settings.steps, guidance: settings.guidance, scheduler: settings.scheduler, mask, ...(extraMasks ? { extraMasks } : {}) };
      const image = await api.generate(job, onProgress);
      const entry: GalleryEntry = {
        id: crypto.randomUUID(),
        createdAt: Date.now(),
        png: new Blob([image.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
        side: image.side,
        provenance: editor ? { ...image.provenance, mask_editor: editor } : image.provenance,
        ...(image.mask ? { mask: image.mask } : {}),
      };
      await saveGalleryEntry(entry);
      useGenerate.getState().addToGallery(entry);
      finished++;
    }
  } catch (error) {
    const words = userMessage(error);
    const keptWords = `${finished} finished image${finished === 1 ? '' : 's'} kept in the gallery.`;
    if (words.code === 'aborted') {
      useGenerate.getState().setOutcome({ kind: 'cancelled', title: 'Cancelled.', detail: keptWords });
    } else {
      useGenerate.getState().setOutcome({ kind: 'error', title: words.title, detail: `${words.detail} ${keptWords}` });
      useStatus.getState().showError('Generation', error);
    }
  } finally {
    useGenerate.getState().setRun(undefined);
  }
}

/** Stops the running image at its next denoising step and skips the rest of the batch. */
export async function cancelBatch(): Promise<void> {
  const store = useGenerate.getState();
  if (!store.run) return;
  store.patchRun({ cancelling: true });
  const { api } = await diffusionClient(useSettings.getState().backend);
  await api.cancel();
}

export async function deleteImage(id: string): Promise<void> {
  await deleteGalleryEntry(id);
  useGenerate.getState().removeFromGallery(id);
}
