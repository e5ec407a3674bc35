import { StudioError } from '../errors.ts';
import type { Manifest, SamplingPreset, SamplingSettings, UnetRole } from '../manifest/types.ts';
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
  /** Which of the bundle's UNets denoises; absent: `unet`, the two-pass one. */
  unet?: UnetRole;
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

type Preset = Pick<GenerationSettings, 'steps' | 'guidance' | 'scheduler' | 'unet'>;

/** What a bundle without `diffusion.defaults` runs at (the reference generator's sampler). */
export const FALLBACK_PRESET: Preset = { steps: 20, guidance: 3, scheduler: 'ddim' };

/**
 * A manifest preset (defaults, fast or a named one) as settings; a scheduler the studio
 * lacks is left out. `unet` is always given ("unet" when the preset names none), so merging
 * a preset into settings replaces the UNet another preset chose.
 */
export function presetSettings(preset: SamplingSettings): Pick<GenerationSettings, 'steps' | 'guidance' | 'unet'> & { scheduler?: SchedulerName } {
  const scheduler = SCHEDULER_NAMES.find((n) => n === preset.scheduler);
  return { steps: preset.steps, guidance: preset.guidance, ...(scheduler ? { scheduler } : {}), unet: preset.unet ?? 'unet' };
}

/** The bundle's own steps, guidance, scheduler and UNet, each falling back to FALLBACK_PRESET. */
export function generationDefaults(manifest: Manifest): Preset {
  const preset = manifest.diffusion?.defaults;
  return { ...FALLBACK_PRESET, ...(preset ? presetSettings(preset) : {}) };
}

/**
 * The presets the Generate page offers: the manifest's `presets`, or, for a bundle that
 * names none (format 1 as first shipped), its `fast` and `defaults` as "fast" and "default".
 */
export function samplingPresets(manifest: Manifest): SamplingPreset[] {
  const diffusion = manifest.diffusion;
  if (!diffusion) return [];
  if (diffusion.presets?.length) return diffusion.presets;
  if (!diffusion.fast) return [];
  return [{ name: 'fast', label: 'Fast', ...diffusion.fast }, { name: 'default', label: 'Defaults', ...diffusion.defaults }];
}

/** Whether settings sample exactly as a preset does (same steps, guidance, scheduler and UNet). */
export function matchesPreset(settings: Pick<GenerationSettings, 'steps' | 'guidance' | 'scheduler' | 'unet'>, preset: SamplingSettings): boolean {
  return settings.steps === preset.steps && settings.guidance === preset.guidance && settings.scheduler === preset.scheduler
    && (settings.unet ?? 'unet') === (preset.unet ?? 'unet');
}

/** The name of the manifest preset these settings are, for the provenance; undefined for hand-set ones. */
export function presetName(manifest: Manifest, settings: Pick<GenerationSettings, 'steps' | 'guidance' | 'scheduler' | 'unet'>): string | undefined {
  return manifest.diffusion?.presets?.find((p) => matchesPreset(settings, p))?.name;
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
    ...((given.unet ?? defaults.unet) === 'unet_guided' ? { unet: 'unet_guided' as const } : {}),
  };
}

/** The request as the pipeline takes it: mask PNGs decoded to the model's mask side. */
export function pipelineRequest(manifest: Manifest, request: GenerationRequest): GenerateRequest {
  const { prompt, negativePrompt, seed, steps, guidance, scheduler, unet } = request;
  const masks = request.mask ? [request.mask, ...(request.extraMasks ?? [])].map((m) => readMask(m, manifest)) : [];
  if (!request.mask && request.extraMasks?.length) {
    throw new StudioError('settings-invalid', `generate: extra mask layers [${request.extraMasks.map((m) => m.layer).join(', ')}] were given without a main mask`);
  }
  return { prompt, ...(negativePrompt !== undefined ? { negativePrompt } : {}), seed, steps, guidance, scheduler, ...(unet ? { unet } : {}), masks };
}

/**
 * Everything that can be wrong with a request, found before a model is opened: throws
 * with what was received and what was expected (the pipeline checks the same again
 * before its first run).
 */
export function checkGenerationRequest(manifest: Manifest, request: GenerationRequest): void {
  checkGenerateRequest(manifest, pipelineRequest(manifest, request));
}
