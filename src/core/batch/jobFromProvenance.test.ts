import { describe, expect, it } from 'vitest';
import { PROVENANCE_FORMAT, type Provenance } from '../pipelines/provenance.ts';
import { jobFromProvenance, type MadeImage } from './jobFromProvenance.ts';

const base: Provenance = {
  format: PROVENANCE_FORMAT, synthetic: true, prompt: 'chest x-ray, pneumonia, adult', input_ids: [], unknown_words: [], seed: 1, steps: 20, guidance: 3, scheduler: 'ddim',
  model: { id: 'bundle-a', name: 'A', files: {} }, mask: null, engine: 'wasm', created: '2026-11-26T10:00:00.000Z', elapsed_ms: 1,
};
const lungA = Uint8Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 1 : 0));
const lungB = Uint8Array.from({ length: 16 }, (_, i) => (i < 8 ? 1 : 0));

function masked(seed: number, prompt: string, sha256: string, mask: Uint8Array, convention?: string): MadeImage {
  return { provenance: { ...base, seed, prompt, mask: { name: `${sha256}.png`, sha256, layers: [{ layer: 'lung', ...(convention ? { convention } : {}) }] } }, mask };
}

describe('jobFromProvenance', () => {
  it('takes every prompt and distinct mask of the images, their sampling and their lowest seed', () => {
    const images = [
      masked(12, 'chest x-ray, pneumonia, adult', 'aaa', lungA, 'shenzhen'),
      masked(10, 'chest x-ray, no finding, adult', 'aaa', lungA, 'shenzhen'),
      masked(11, 'chest x-ray, pneumonia, adult', 'bbb', lungB),
    ];
    expect(jobFromProvenance(images, 'bundle-a')).toEqual({
      used: 3, leftOut: 0,
      prompts: ['chest x-ray, pneumonia, adult', 'chest x-ray, no finding, adult'],
      masks: [{ raster: lungA, side: 4, convention: 'shenzhen' }, { raster: lungB, side: 4 }],
      settings: { steps: 20, guidance: 3, scheduler: 'ddim' },
      seedStart: 10,
    });
  });

  it('keeps the one-pass UNet an image was made with (issue 18), and does not mix it with two-pass images', () => {
    const onePass = (seed: number): MadeImage => ({ provenance: { ...base, seed, unet: 'unet_guided', preset: 'draft' } });
    const job = jobFromProvenance([onePass(4), onePass(2), { provenance: { ...base, seed: 1, unet: 'unet' } }], 'bundle-a');
    expect(job).toMatchObject({ used: 2, leftOut: 1, seedStart: 2, settings: { steps: 20, guidance: 3, scheduler: 'ddim', unet: 'unet_guided' } });
  });

  it('follows the largest group with one bundle, sampling and mask use, and counts the rest (and images with a lesion layer) as left out', () => {
    const images: MadeImage[] = [
      { provenance: { ...base, seed: 5, steps: 2, negative_prompt: { text: 'blurry', input_ids: [], unknown_words: [] } } },
      { provenance: { ...base, seed: 3, steps: 2, negative_prompt: { text: 'blurry', input_ids: [], unknown_words: [] } } },
      { provenance: { ...base, seed: 1, steps: 2 } },
      masked(0, base.prompt, 'aaa', lungA),
      { provenance: { ...base, seed: 0, model: { ...base.model, id: 'bundle-b' } } },
      { provenance: { ...base, seed: 0, model: { ...base.model, id: 'bundle-b' } } },
      { provenance: { ...base, seed: 0, model: { ...base.model, id: 'bundle-b' } } },
      { ...masked(1, base.prompt, 'ccc', lungB), provenance: { ...masked(1, base.prompt, 'ccc', lungB).provenance, mask: { name: 'c.png', sha256: 'ccc', layers: [{ layer: 'lung' }, { layer: 'lesion' }] } } },
    ];
    expect(jobFromProvenance(images, 'bundle-a')).toEqual({
      used: 2, leftOut: 6, prompts: [base.prompt], negativePrompt: 'blurry', masks: [], settings: { steps: 2, guidance: 3, scheduler: 'ddim' }, seedStart: 3,
    });
    expect(jobFromProvenance(images, 'bundle-b')).toMatchObject({ used: 3, leftOut: 5, masks: [], seedStart: 0 });
    expect(jobFromProvenance(images, 'bundle-c')).toBeNull();
    expect(jobFromProvenance([], 'bundle-a')).toBeNull();
  });
});
