import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { FALLBACK_PRESET, type GenerationSettings } from '../../core/generation/index.ts';
import { randomSeed } from '../../core/rng.ts';
import type { GalleryEntry } from '../../storage/gallery.ts';
import type { BatchPlan } from './batchPlan.ts';

export type MaskChoice =
  | { kind: 'none' }
  | { kind: 'example'; file: string; layer: string; convention?: string }
  | { kind: 'file'; name: string; bytes: Uint8Array; convention?: string }
  | { kind: 'batch'; items: QueuedMask[] };

/**
 * A mask sent from another page (the Masks editor): its PNG and what made it, recorded in
 * each generated image's provenance as `mask_editor`.
 */
export interface QueuedMask {
  name: string;
  bytes: Uint8Array;
  layer: string;
  convention?: string;
  /** Further layers given with this mask (e.g. lesion), as the worker's `extraMasks`. */
  extraLayers?: { name: string; bytes: Uint8Array; layer: string }[];
  editor: Record<string, unknown>;
}

/** The form: the generation module's settings, with the mask as the user picked it and a batch of seeds counting up from `seed`. */
export interface GenerateSettings extends GenerationSettings {
  /** Empty: the all-padding prompt. */
  negativePrompt: string;
  mask: MaskChoice;
  seed: number;
  batchSize: number;
}

export interface BatchRun {
  batchSize: number;
  /** 0-based index of the image being made. */
  image: number;
  step: number;
  totalSteps: number;
  startedAt: number;
  elapsedMs: number;
  cancelling: boolean;
}

interface GenerateState {
  settings: GenerateSettings;
  /** Whether the manifest's defaults have been applied to `settings` yet. */
  defaultsFrom?: string;
  run?: BatchRun;
  /** Why the last batch ended early, in the user's words. */
  outcome?: { kind: 'cancelled' | 'error'; title: string; detail: string };
  /** A batch that stopped before its end and can be resumed (kept in IndexedDB, not here). */
  interrupted?: BatchPlan;
  gallery: GalleryEntry[];
  outlines: Record<string, boolean>;
  update(patch: Partial<GenerateSettings>): void;
  applyDefaults(bundle: string, patch: Partial<GenerateSettings>): void;
  rollSeed(): void;
  setRun(run: BatchRun | undefined): void;
  patchRun(patch: Partial<BatchRun>): void;
  setOutcome(outcome: GenerateState['outcome']): void;
  setInterrupted(plan: BatchPlan | undefined): void;
  setGallery(gallery: GalleryEntry[]): void;
  addToGallery(entry: GalleryEntry): void;
  removeFromGallery(id: string): void;
  toggleOutline(id: string): void;
}

/**
 * The form survives a reload (localStorage), except a mask read from disk or sent from the
 * Masks page: its bytes stay in memory only, and the mask falls back to none.
 */
type PersistedGenerate = Pick<GenerateState, 'defaultsFrom'> & { settings: Omit<GenerateSettings, 'mask'> & { mask?: MaskChoice } };

function persistable(s: GenerateState): PersistedGenerate {
  const { mask, ...rest } = s.settings;
  return { defaultsFrom: s.defaultsFrom, settings: mask.kind === 'none' || mask.kind === 'example' ? { ...rest, mask } : rest };
}

export const useGenerate = create<GenerateState>()(persist((set) => ({
  settings: { prompt: 'chest x-ray, no finding, adult', negativePrompt: '', mask: { kind: 'none' }, ...FALLBACK_PRESET, seed: 1234, batchSize: 1 },
  gallery: [],
  outlines: {},
  update: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
  applyDefaults: (bundle, patch) => set((s) => (s.defaultsFrom === bundle ? s : { defaultsFrom: bundle, settings: { ...s.settings, ...patch } })),
  rollSeed: () => set((s) => ({ settings: { ...s.settings, seed: randomSeed() } })),
  setRun: (run) => set({ run }),
  patchRun: (patch) => set((s) => (s.run ? { run: { ...s.run, ...patch } } : s)),
  setOutcome: (outcome) => set({ outcome }),
  setInterrupted: (interrupted) => set({ interrupted }),
  setGallery: (gallery) => set({ gallery }),
  addToGallery: (entry) => set((s) => ({ gallery: [...s.gallery, entry] })),
  removeFromGallery: (id) => set((s) => ({ gallery: s.gallery.filter((e) => e.id !== id) })),
  toggleOutline: (id) => set((s) => ({ outlines: { ...s.outlines, [id]: !(s.outlines[id] ?? true) } })),
}), {
  name: 'cxr-studio-generate',
  version: 1,
  partialize: persistable,
  // field by field, so settings added later keep their defaults
  merge: (persisted, current) => {
    const saved = (persisted ?? {}) as Partial<PersistedGenerate>;
    return { ...current, defaultsFrom: saved.defaultsFrom, settings: { ...current.settings, ...saved.settings } };
  },
}));

/** Entry point for other pages: generate from these masks (each with every seed of the batch). */
export function queueMaskBatch(items: QueuedMask[]): void {
  useGenerate.getState().update({ mask: { kind: 'batch', items } });
}
