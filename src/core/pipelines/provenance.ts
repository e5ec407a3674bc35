import type { Manifest, ModelRole, UnetRole, VariantSpec } from '../manifest/types.ts';
import type { SchedulerName } from '../schedulers/types.ts';
import type { GenerateRequest, GenerateResult } from './generate.ts';

export const PROVENANCE_FORMAT = 'cxr-studio-provenance/1';

/** Where a generated image came from: enough to make it again, bit for bit on the same engine. */
export interface Provenance {
  format: typeof PROVENANCE_FORMAT;
  synthetic: true;
  prompt: string;
  input_ids: number[];
  unknown_words: string[];
  /** What guidance steered away from, when it was not all padding (absent: all padding). */
  negative_prompt?: { text: string; input_ids: number[]; unknown_words: string[] };
  seed: number;
  steps: number;
  guidance: number;
  /** The manifest's diffusion.uncond_mask: whether guidance also strengthened the mask
   * (absent in images made before the field existed, which all used "same"). */
  uncond_mask?: 'same' | 'none';
  scheduler: SchedulerName;
  /**
   * Which UNet denoised: "unet" (two passes per step for guidance) or "unet_guided" (the
   * guidance-distilled student, one pass). Absent in images made before the field: "unet".
   */
  unet?: UnetRole;
  /** The manifest's diffusion.presets entry these settings are, when they are one. */
  preset?: string;
  model: {
    id: string;
    name: string;
    /** sha256 of each file that took part, as listed in (and verified against) the manifest. */
    files: Record<string, { file: string; sha256: string }>;
  };
  mask: null | { name: string; sha256: string; layers: { layer: string; convention?: string }[] };
  /** How the mask was made in the Masks editor (source, transform parameters), when it was. */
  mask_editor?: Record<string, unknown>;
  engine: string;
  created: string;
  elapsed_ms: number;
}


export function buildProvenance(
  manifest: Manifest,
  request: GenerateRequest,
  result: GenerateResult,
  context: {
    engine: string;
    mask?: { name: string; sha256: string };
    created?: Date;
    /** The variant each role really ran (e.g. the int8 UNet); roles not listed ran fp32. */
    variants?: Partial<Record<ModelRole, VariantSpec>>;
    /** The name of the manifest preset the settings are (request.ts presetName). */
    preset?: string;
  },
): Provenance {
  const unet = request.unet ?? 'unet';
  const files: Provenance['model']['files'] = {};
  for (const role of ['text_encoder', unet, 'vae_decoder'] as const) {
    const ran = context.variants?.[role] ?? manifest.models[role]?.variants.fp32;
    if (ran) files[role] = { file: ran.file, sha256: ran.sha256 };
  }
  if (manifest.tokenizer) files.tokenizer = { file: manifest.tokenizer.file, sha256: manifest.tokenizer.sha256 };
  const layers = (request.masks ?? []).map(({ layer, convention }) => (convention ? { layer, convention } : { layer }));
  return {
    format: PROVENANCE_FORMAT,
    synthetic: true,
    prompt: request.prompt,
    input_ids: result.inputIds,
    unknown_words: result.unknownWords,
    ...(result.negative && request.negativePrompt !== undefined
      ? { negative_prompt: { text: request.negativePrompt, input_ids: result.negative.inputIds, unknown_words: result.negative.unknownWords } }
      : {}),
    seed: request.seed,
    steps: request.steps,
    guidance: request.guidance,
    uncond_mask: manifest.diffusion?.uncond_mask ?? 'same',
    scheduler: request.scheduler,
    unet,
    ...(context.preset ? { preset: context.preset } : {}),
    model: { id: manifest.id, name: manifest.name, files },
    mask: context.mask ? { ...context.mask, layers } : null,
    engine: context.engine,
    created: (context.created ?? new Date()).toISOString(),
    elapsed_ms: Math.round(result.elapsedMs),
  };
}

/** [0,1] floats -> 8-bit gray, rounding to nearest (what the golden image.png holds). */
export function toGray8(image01: Float32Array): Uint8Array {
  return Uint8Array.from(image01, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}
