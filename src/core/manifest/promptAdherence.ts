import { findingClassOfPrompt } from '../curation/promptFinding.ts';
import type { ExampleMask, Manifest } from './types.ts';

/**
 * What the bundle's model card measured for the finding a prompt asks for: the share
 * of images generated for that finding that the bundle's classifier assigns to it
 * (`unet.metrics.prompt_adherence_class_prompts`, written by training/). The Generate
 * page shows it next to the prompt, so nobody takes a tuberculosis prompt's images for
 * tuberculosis when the card says the model does not draw it. Null when the prompt
 * names no finding or the bundle measured none.
 */
export interface PromptAdherence {
  finding: string;
  adherence: number;
}

export function measuredPromptAdherence(manifest: Manifest, prompt: string): PromptAdherence | null {
  const finding = findingClassOfPrompt(prompt, manifest.classes ?? []);
  const measured = manifest.models.unet?.metrics?.prompt_adherence_class_prompts;
  if (!finding || typeof measured !== 'object' || measured === null) return null;
  const adherence = (measured as Record<string, unknown>)[finding];
  return typeof adherence === 'number' && Number.isFinite(adherence) ? { finding, adherence } : null;
}

/** What images made with one of the bundle's example masks showed (scripts/measure-example-masks.ts). */
export interface MaskAdherence {
  finding: string;
  mask: ExampleMask;
  seeds: number;
  settings: string;
  /** The share by the bundle's own classifier, if it judged. */
  own: number | null;
  /** The share by each independent judge (another bundle). */
  others: { judge: string; adherence: number }[];
}

/**
 * The prompted finding's measured share for the chosen example mask, so that the Generate page
 * can say when a mask pulls the images away from the prompt (a mask in the convention of the
 * only tuberculosis source makes tuberculosis of a pneumonia prompt). Null without a finding,
 * an example mask or a measurement of it.
 */
export function exampleMaskAdherence(manifest: Manifest, maskFile: string | undefined, prompt: string): MaskAdherence | null {
  const finding = findingClassOfPrompt(prompt, manifest.classes ?? []);
  const mask = manifest.example_masks?.find((m) => m.file === maskFile);
  const measured = mask?.prompt_adherence;
  if (!finding || !mask || !measured) return null;
  const shareOf = (judge: string) => measured.by[judge]?.[finding];
  const others = Object.keys(measured.by)
    .filter((judge) => judge !== manifest.id && typeof shareOf(judge) === 'number')
    .map((judge) => ({ judge, adherence: shareOf(judge) }));
  const own = shareOf(manifest.id) ?? null;
  if (own === null && others.length === 0) return null;
  return { finding, mask, seeds: measured.seeds, settings: measured.settings, own, others };
}
