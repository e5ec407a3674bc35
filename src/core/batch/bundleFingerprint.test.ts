import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../manifest/types.ts';
import { bundleFingerprint } from './bundleFingerprint.ts';

const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../public/models/cxr-studio-v1/manifest.json'), 'utf8')) as Manifest;

describe('bundleFingerprint', () => {
  it('depends on the files\' hashes, not on how the manifest is ordered', async () => {
    const print = await bundleFingerprint(manifest);
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { ...manifest, models: Object.fromEntries(Object.entries(manifest.models).reverse()) } as Manifest;
    expect(await bundleFingerprint(reordered)).toBe(print);
  });

  it('changes when one model file changes', async () => {
    const unet = manifest.models.unet!;
    const changed = { ...manifest, models: { ...manifest.models, unet: { ...unet, variants: { ...unet.variants, fp32: { ...unet.variants.fp32, sha256: '0'.repeat(64) } } } } } as Manifest;
    expect(await bundleFingerprint(changed)).not.toBe(await bundleFingerprint(manifest));
  });
});
