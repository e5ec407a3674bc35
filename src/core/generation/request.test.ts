import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../../cli/bundle.ts';
import { checkGenerationBatch, consecutiveSeeds, imageStem } from './batch.ts';
import { checkGenerationRequest, FALLBACK_PRESET, generationDefaults, presetName, presetSettings, resolveSettings, samplingPresets } from './request.ts';

const BUNDLE = resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1');
const manifest = readBundle(BUNDLE);
const lung = { name: 'lung.png', bytes: new Uint8Array(readFileSync(join(BUNDLE, 'examples/lung_mean_v7.png'))), layer: 'lung' };
const settings = { prompt: 'chest x-ray', steps: 2, guidance: 5, scheduler: 'ddim' as const };

describe('generation request', () => {
  it("fills what was left out with the bundle's defaults, and a bundle without a generator with the fallback", () => {
    expect(generationDefaults(manifest)).toEqual({ steps: 20, guidance: 5, scheduler: 'ddim', unet: 'unet' });
    expect(resolveSettings(manifest, { prompt: 'x', steps: 4 })).toEqual({ prompt: 'x', steps: 4, guidance: 5, scheduler: 'ddim' });
    const bare = { ...manifest, diffusion: undefined };
    expect(generationDefaults(bare)).toEqual(FALLBACK_PRESET);
    // a scheduler this studio does not have is not taken from a manifest
    const odd = { ...manifest, diffusion: { ...manifest.diffusion!, defaults: { steps: 30, guidance: 4, scheduler: 'euler' } } };
    expect(generationDefaults(odd)).toEqual({ steps: 30, guidance: 4, scheduler: FALLBACK_PRESET.scheduler, unet: 'unet' });
  });

  it("offers a format-1 bundle's fast and defaults as presets, and a bundle's named presets with their UNet", () => {
    // the shipped bundle names three (training/export/presets.py), each timed
    expect(samplingPresets(manifest).map((p) => [p.name, p.label, p.steps, p.scheduler, p.unet, typeof p.seconds_wasm])).toEqual([
      ['draft', 'Draft', 4, 'dpmpp2m', undefined, 'number'],
      ['fast', 'Fast', 10, 'dpmpp2m', undefined, 'number'],
      ['default', 'Best', 20, 'ddim', undefined, 'number'],
    ]);
    expect(presetName(manifest, { steps: 20, guidance: 5, scheduler: 'ddim' })).toBe('default');
    const format1 = { ...manifest, diffusion: { ...manifest.diffusion!, presets: undefined } };
    expect(samplingPresets(format1).map((p) => [p.name, p.label, p.steps, p.scheduler, p.unet])).toEqual([
      ['fast', 'Fast', 10, 'dpmpp2m', undefined],
      ['default', 'Defaults', 20, 'ddim', undefined],
    ]);
    expect(presetName(format1, { steps: 20, guidance: 5, scheduler: 'ddim' })).toBeUndefined(); // no named presets: nothing to record
    const draft = { name: 'draft', steps: 4, guidance: 5, scheduler: 'ddim', unet: 'unet_guided' as const };
    const best = { name: 'best', steps: 20, guidance: 5, scheduler: 'ddim' };
    const named = { ...manifest, diffusion: { ...manifest.diffusion!, defaults: draft, presets: [draft, best] } };
    expect(samplingPresets(named)).toEqual([draft, best]);
    expect(presetName(named, { steps: 4, guidance: 5, scheduler: 'ddim', unet: 'unet_guided' })).toBe('draft');
    expect(presetName(named, { steps: 4, guidance: 5, scheduler: 'ddim' })).toBeUndefined(); // same numbers, the other UNet
    expect(presetName(named, { steps: 20, guidance: 5, scheduler: 'ddim', unet: 'unet' })).toBe('best');
    // a bundle whose defaults are the one-pass UNet: left-out flags take it, a preset or flag naming "unet" does not
    expect(resolveSettings(named, { prompt: 'x' })).toEqual({ prompt: 'x', steps: 4, guidance: 5, scheduler: 'ddim', unet: 'unet_guided' });
    expect(resolveSettings(named, { prompt: 'x', ...presetSettings(best) })).toEqual({ prompt: 'x', steps: 20, guidance: 5, scheduler: 'ddim' });
  });

  it('refuses a batch that cannot run, naming what was received', () => {
    expect(() => checkGenerationBatch(manifest, { settings, seeds: [], masks: [{}] })).toThrow('expected at least one seed');
    expect(() => checkGenerationBatch(manifest, { settings: { ...settings, steps: 0 }, seeds: [1], masks: [{}] })).toThrow(/steps: expected an integer in 1\.\.1000, received 0/);
    expect(() => checkGenerationBatch(manifest, { settings, seeds: [1, -2], masks: [{}] })).toThrow(/seed: expected an integer in 0\.\.4294967295, received -2/);
    expect(() => checkGenerationBatch(manifest, { settings, seeds: [1], masks: [{ mask: { ...lung, name: 'notes.png', bytes: new TextEncoder().encode('not a png') } }] }))
      .toThrow(/mask notes\.png: expected a PNG image/);
    expect(() => checkGenerationBatch(manifest, { settings, seeds: [1], masks: [{ mask: { ...lung, layer: 'heart' } }] })).toThrow(/mask layer "heart": this model takes \[lung/);
    expect(() => checkGenerationRequest(manifest, { ...settings, seed: 1, extraMasks: [lung] })).toThrow(/without a main mask/);
    expect(() => checkGenerationBatch(manifest, { settings, seeds: [1, 2], masks: [{}, { mask: lung }] })).not.toThrow();
  });

  it("numbers a page batch's seeds from the first, wrapping at 2^32, and names CLI files by mask stem and seed", () => {
    expect(consecutiveSeeds(4294967294, 3)).toEqual([4294967294, 4294967295, 0]);
    expect(imageStem({ ...settings, seed: 7, mask: { ...lung, name: 'CHNCXR_0010_0.png' } })).toBe('CHNCXR_0010_0-seed7');
    expect(imageStem({ ...settings, seed: 7 })).toBe('nomask-seed7');
  });
});
