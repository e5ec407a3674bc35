import { findingClassOfPrompt } from '../curation/promptFinding.ts';
import type { Manifest } from './types.ts';

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
