import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../cli/nodeRunner.ts';
import { REFERENCE_DIR, referenceManifest, referencePresent } from '../../../cli/testing/referenceBundle.ts';
import type { Runner } from '../runner.ts';
import { crossCheck, probeFeeds } from './crossCheck.ts';

describe.skipIf(!referencePresent())('crossCheck on reference-v0 models (onnxruntime-node)', () => {
  it('builds batch-1 probes from the manifest shapes and dtypes', () => {
    const unet = referenceManifest().models.unet!;
    const feeds = probeFeeds(unet);
    expect(Object.keys(feeds)).toEqual(['sample', 'timestep', 'encoder_hidden_states', 'mask_cond']);
    expect(feeds.sample.dims).toEqual([1, 4, 32, 32]);
    expect(feeds.timestep.dims).toEqual([1]);
    expect(probeFeeds(referenceManifest().models.text_encoder!).input_ids.type).toBe('int64');
  });

  it('finds two sessions of one model in agreement, and a corrupted output not', async () => {
    const spec = referenceManifest().models.vae_decoder!;
    const path = join(REFERENCE_DIR, 'vae_decoder.onnx');
    const optimized = await createNodeRunner(path, { graphOptimizationLevel: 'all' });
    const plain = await createNodeRunner(path, { graphOptimizationLevel: 'disabled' });
    const same = await crossCheck(spec, optimized, plain);
    expect(same.agrees).toBe(true);
    expect(same.maxAbsDiff).toBeLessThan(1e-4);
    // A wrong kernel, as seen from outside: the right shape with shifted numbers.
    const wrong: Runner = {
      run: async (feeds) => {
        const out = await plain.run(feeds);
        const image = out.image;
        return { image: { ...image, data: (image.data as Float32Array).map((v, i) => (i % 7 === 0 ? v + 0.5 : v)) } };
      },
    };
    const broken = await crossCheck(spec, wrong, optimized);
    expect(broken.agrees).toBe(false);
    expect(broken.maxAbsDiff).toBeCloseTo(0.5, 3);
    await Promise.all([optimized.release(), plain.release()]);
  });
});
