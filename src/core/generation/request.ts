import { StudioError } from '../errors.ts';
import type { Manifest } from '../manifest/types.ts';
import { checkGenerateRequest, type GenerateRequest } from '../pipelines/generate.ts';
import { SCHEDULER_NAMES, type SchedulerName } from '../schedulers/index.ts';
import { readMask } from './maskSource.ts';

/**
 * What one generated image is asked to be: the same record from the Generate page's
 * form (through the diffusion worker), from `cxr-studio generate`'s flags and from a
 * batch run. Masks travel as the PNG bytes the user gave, so their hash names the file;
 * they are decoded to layers only for the pipeline (pipelines/generate.ts).
 */
export interface GenerationSettings {
  prompt: string;
  /** What guidance steers away from; empty or absent: the all-padding prompt. */
  negativePrompt?: string;
  steps: number;
  guidance: number;
  scheduler: SchedulerName;
}

/** A mask as the user gave it: the PNG's own bytes, so its hash names the file. */
export interface MaskSource {
  name: string;
  bytes: Uint8Array;
  layer: string;
  convention?: string;
}

export interface GenerationRequest extends GenerationSettings {
  seed: number;
  mask?: MaskSource;
  /** Further layers given with `mask` (e.g. a lesion drawn on the Masks page). */
  extraMasks?: MaskSource[];
  /** How the mask was made in the Masks editor, recorded in the provenance as `mask_editor`. */
  maskEditor?: Record<string, unknown>;
}

type Preset = Pick<GenerationSettings, 'steps' | 'guidance' | 'scheduler'>;

/** What a bundle without `diffusion.defaults` runs at (the reference generator's sampler). */
export const FALLBACK_PRESET: Preset = { steps: 20, guidance: 3, scheduler: 'ddim' };

/** A manifest preset (defaults or fast) as settings; a scheduler the studio lacks is left out. */
export function presetSettings(preset: { steps: number; guidance: number; scheduler: string }): Pick<GenerationSettings, 'steps' | 'guidance'> & { scheduler?: SchedulerName } {
  const scheduler = SCHEDULER_NAMES.find((n) => n === preset.scheduler);
  return { steps: preset.steps, guidance: preset.guidance, ...(scheduler ? { scheduler } : {}) };
}

/** The bundle's own steps, guidance and scheduler, each falling back to FALLBACK_PRESET. */
export function generationDefaults(manifest: Manifest): Preset {
  const preset = manifest.diffusion?.defaults;
  return { ...FALLBACK_PRESET, ...(preset ? presetSettings(preset) : {}) };
}

/** Settings as given (a flag or field left out is undefined), completed with the bundle's defaults. */
export function resolveSettings(manifest: Manifest, given: Partial<GenerationSettings> & { prompt: string }): GenerationSettings {
  const defaults = generationDefaults(manifest);
  return {
    prompt: given.prompt,
    ...(given.negativePrompt !== undefined ? { negativePrompt: given.negativePrompt } : {}),
    steps: given.steps ?? defaults.steps,
    guidance: given.guidance ?? defaults.guidance,
    scheduler: given.scheduler ?? defaults.scheduler,
  };
}

/** The request as the pipeline takes it: mask PNGs decoded to the model's mask side. */
export function pipelineRequest(manifest: Manifest, request: GenerationRequest): GenerateRequest {
  const { prompt, negativePrompt, seed, steps, guidance, scheduler } = request;
  const masks = request.mask ? [request.mask, ...(request.extraMasks ?? [])].map((m) => readMask(m, manifest)) : [];
  if (!request.mask && request.extraMasks?.length) {
    throw new StudioError('settings-invalid', `generate: extra mask layers [${request.extraMasks.map((m) => m.layer).join(', ')}] were given without a main mask`);
  }
  return { prompt, ...(negativePrompt !== undefined ? { negativePrompt } : {}), seed, steps, guidance, scheduler, masks };
}

/**
 * Everything that can be wrong with a request, found before a model is opened: throws
 * with what was received and what was expected (the pipeline checks the same again
 * before its first run).
 */
export function checkGenerationRequest(manifest: Manifest, request: GenerationRequest): void {
  checkGenerateRequest(manifest, pipelineRequest(manifest, request));
}
