import { userMessage } from '../../core/errors.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { queryClient } from '../../state/queryClient.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { deleteGalleryEntry, listGallery, saveGalleryEntry, type GalleryEntry } from '../../storage/gallery.ts';
import { clearJob, loadJob, saveJob } from '../../storage/resumableJobs.ts';
import { diffusionClient } from '../../workers-client/diffusion.ts';
import { checkGenerationBatch, runGenerationBatch, type MaskSource, type PlannedMask } from '../../core/generation/index.ts';
import { bundleUrl } from '../models/queries.ts';
import { generationBatch, remaining, type BatchPlan } from './batchPlan.ts';
import { useGenerate, type MaskChoice } from './generateStore.ts';
import { generatorQuery } from './queries.ts';

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
async function plannedMasks(manifest: Manifest, choice: MaskChoice): Promise<PlannedMask[]> {
  if (choice.kind !== 'batch') return [{ mask: await maskSource(manifest, choice) }];
  return choice.items.map(({ editor, extraLayers, ...mask }) => ({ mask, editor, ...(extraLayers?.length ? { extraMasks: extraLayers } : {}) }));
}

/** A batch that stopped before its end (kept in IndexedDB), for the page to offer to resume. */
export async function loadInterruptedBatch(): Promise<void> {
  try {
    const plan = await loadJob<BatchPlan>('generation');
    if (!useGenerate.getState().run) useGenerate.getState().setInterrupted(plan && remaining(plan).length > 0 ? plan : undefined);
  } catch (error) {
    useStatus.getState().showError('Reading the interrupted batch', error);
  }
}

/**
 * Makes `batchSize` images with seeds seed, seed+1, ... one after another, saving each
 * to IndexedDB as soon as it exists, so a cancel or an error keeps what was finished.
 */
let planning = false;

export async function runBatch(manifest: Manifest): Promise<void> {
  const store = useGenerate.getState();
  if (store.run || planning) return;
  const { settings } = store;
  const { prompt, negativePrompt, steps, guidance, scheduler, unet, seed, batchSize } = settings;
  let plan: BatchPlan;
  planning = true; // reading an example mask takes a moment: a second click must not start a second batch
  try {
    plan = {
      id: crypto.randomUUID(),
      bundle: manifest.id,
      createdAt: Date.now(),
      settings: { prompt, negativePrompt, steps, guidance, scheduler, ...(unet === 'unet_guided' ? { unet } : {}), seed, batchSize },
      masks: await plannedMasks(manifest, settings.mask),
      done: [],
    };
    // a request the model cannot take is refused here, before the generator loads, and leaves nothing to resume
    checkGenerationBatch(manifest, generationBatch(plan));
  } catch (error) {
    const words = userMessage(error);
    store.setOutcome({ kind: 'error', title: words.title, detail: words.detail });
    return;
  } finally {
    planning = false;
  }
  await runPlan(manifest, plan);
}

/** Make the images an interrupted batch did not finish, with its own seeds, masks and settings. */
export async function resumeBatch(manifest: Manifest): Promise<void> {
  const plan = useGenerate.getState().interrupted;
  if (!plan || useGenerate.getState().run) return;
  await runPlan(manifest, { ...plan, stopped: undefined });
}

/** Forget an interrupted batch (its finished images stay in the gallery). */
export async function discardInterruptedBatch(): Promise<void> {
  useGenerate.getState().setInterrupted(undefined);
  await clearJob('generation');
}

async function runPlan(manifest: Manifest, plan: BatchPlan): Promise<void> {
  const store = useGenerate.getState();
  store.setOutcome(undefined);
  store.setInterrupted(undefined);
  const todo = remaining(plan);
  const startedAt = performance.now();
  let finished = 0;
  store.setRun({ batchSize: todo.length, image: 0, step: 0, totalSteps: plan.settings.steps, startedAt, elapsedMs: 0, cancelling: false });
  try {
    await saveJob('generation', plan);
    const backend = useSettings.getState().backend;
    const generator = generatorQuery(manifest, backend, useSettings.getState().variant);
    await queryClient.fetchQuery(generator);
    const { api } = await diffusionClient(backend);
    await runGenerationBatch({
      batch: generationBatch(plan),
      indices: todo,
      isCancelled: () => Boolean(useGenerate.getState().run?.cancelling),
      onStart: (position) => useGenerate.getState().patchRun({ image: position, step: 0 }),
      generate: (request) => api.generate(request, (e) => {
        if (e.type === 'step') useGenerate.getState().patchRun({ step: e.step, totalSteps: e.total, elapsedMs: performance.now() - startedAt });
      }),
      onImage: async (image, index) => {
        const entry: GalleryEntry = {
          id: crypto.randomUUID(),
          createdAt: Date.now(),
          png: new Blob([image.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
          side: image.side,
          provenance: image.provenance,
          ...(image.mask ? { mask: image.mask } : {}),
        };
        await saveGalleryEntry(entry);
        useGenerate.getState().addToGallery(entry);
        // a WebGPU model is checked against WASM on its first run and may have moved there
        const info = await api.info();
        if (info) queryClient.setQueryData(generator.queryKey, info);
        plan = { ...plan, done: [...plan.done, index] };
        await saveJob('generation', plan);
        finished++;
      },
    });
    await clearJob('generation');
  } catch (error) {
    const words = userMessage(error);
    const keptWords = `${finished} finished image${finished === 1 ? '' : 's'} kept in the gallery.`;
    if (words.code === 'aborted') {
      // the user asked to stop: nothing to resume
      await clearJob('generation').catch(() => undefined);
      useGenerate.getState().setOutcome({ kind: 'cancelled', title: 'Cancelled.', detail: keptWords });
    } else {
      const left = remaining(plan).length;
      const stopped = { title: words.title, detail: words.detail };
      await saveJob('generation', { ...plan, stopped }).catch(() => undefined);
      useGenerate.getState().setInterrupted(left > 0 ? { ...plan, stopped } : undefined);
      useGenerate.getState().setOutcome({ kind: 'error', title: words.title, detail: `${words.detail} ${keptWords}${left > 0 ? ` ${left} image${left === 1 ? '' : 's'} can be resumed.` : ''}` });
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
