import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleMaskAdherence, measuredPromptAdherence } from './promptAdherence.ts';
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

describe('an example mask\'s measured prompt adherence', () => {
  const shenzhen = manifest.example_masks!.find((m) => m.convention === 'shenzhen')!;
  it('reads the shipped measurement of the prompted finding, the bundle\'s own judge apart from the others', () => {
    const measured = exampleMaskAdherence(manifest, shenzhen.file, 'chest x-ray, pneumonia, adult');
    expect(measured).toMatchObject({ finding: 'pneumonia', mask: shenzhen, seeds: shenzhen.prompt_adherence!.seeds });
    expect(measured!.own).toBe(shenzhen.prompt_adherence!.by['cxr-studio-v1'].pneumonia);
    expect(measured!.others).toEqual([{ judge: 'reference-v0', adherence: shenzhen.prompt_adherence!.by['reference-v0'].pneumonia }]);
  });
  it('gives null without a finding, an example mask or a measurement', () => {
    expect(exampleMaskAdherence(manifest, shenzhen.file, 'chest x-ray, adult')).toBeNull();
    expect(exampleMaskAdherence(manifest, undefined, 'chest x-ray, pneumonia')).toBeNull();
    const unmeasured = { ...manifest, example_masks: manifest.example_masks!.map(({ prompt_adherence: _, ...m }) => m) };
    expect(exampleMaskAdherence(unmeasured, shenzhen.file, 'chest x-ray, pneumonia')).toBeNull();
  });
  it('takes a judge that measured only some findings for those', () => {
    const partial = { ...manifest, example_masks: [{ ...shenzhen, prompt_adherence: { seeds: 2, settings: 's', measured: '2026-12-07', by: { other: { normal: 0.5 } } } }] };
    expect(exampleMaskAdherence(partial, shenzhen.file, 'chest x-ray, pneumonia')).toBeNull();
    expect(exampleMaskAdherence(partial, shenzhen.file, 'chest x-ray, no finding')).toMatchObject({ own: null, others: [{ judge: 'other', adherence: 0.5 }] });
  });
});
