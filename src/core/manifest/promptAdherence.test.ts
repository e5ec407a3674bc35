import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measuredPromptAdherence } from './promptAdherence.ts';
import { validateManifest } from './validate.ts';

const manifest = validateManifest(JSON.parse(readFileSync(join(import.meta.dirname, '../../../public/models/cxr-studio-v1/manifest.json'), 'utf8')));

describe('the card\'s prompt adherence for a prompt', () => {
  it('reads the shipped bundle\'s measured value for the prompted finding', () => {
    const tb = measuredPromptAdherence(manifest, 'chest x-ray, tuberculosis, adult');
    expect(tb?.finding).toBe('tuberculosis');
    expect(tb?.adherence).toBe((manifest.models.unet!.metrics!.prompt_adherence_class_prompts as Record<string, number>).tuberculosis);
    expect(measuredPromptAdherence(manifest, 'chest x-ray, covid-19 pneumonia')?.finding).toBe('covid19');
  });
  it('gives null without a finding or without measurements', () => {
    expect(measuredPromptAdherence(manifest, 'chest x-ray, adult')).toBeNull();
    const unmeasured = { ...manifest, models: { ...manifest.models, unet: { ...manifest.models.unet!, metrics: undefined } } };
    expect(measuredPromptAdherence(unmeasured, 'chest x-ray, tuberculosis')).toBeNull();
  });
});
