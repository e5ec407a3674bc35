import { describe, expect, it } from 'vitest';
import { IDENTITY_TRANSFORM } from '../mask/transform.ts';
import { PROVENANCE_FORMAT, type Provenance } from '../pipelines/provenance.ts';
import { settingKey } from './settingGroups.ts';

const base: Provenance = {
  format: PROVENANCE_FORMAT, synthetic: true, prompt: 'chest x-ray, pneumonia, adult', input_ids: [], unknown_words: [], seed: 1, steps: 20, guidance: 3, scheduler: 'ddim',
  model: { id: 'm', name: 'm', files: {} }, mask: null, engine: 'wasm', created: '2026-11-26T10:00:00.000Z', elapsed_ms: 1,
};
const withMask: Provenance = { ...base, mask: { name: 'm.png', sha256: 'x', layers: [{ layer: 'lung' }] } };

describe('settingKey', () => {
  it('names prompt, guidance, steps and scheduler groups', () => {
    expect(settingKey(base, 'prompt')).toBe('chest x-ray, pneumonia, adult');
    expect(settingKey(base, 'guidance')).toBe('guidance 3');
    expect(settingKey(base, 'steps')).toBe('20 steps');
    expect(settingKey(base, 'scheduler')).toBe('ddim');
  });
  it('groups masks by which transform parameters the editor changed', () => {
    expect(settingKey(base, 'mask')).toBe('no mask');
    expect(settingKey(withMask, 'mask')).toBe('mask, untransformed');
    expect(settingKey({ ...withMask, mask_editor: { source: 'example', transform: null } }, 'mask')).toBe('editor mask, untransformed');
    const transform = { ...IDENTITY_TRANSFORM, rotateDeg: 8, flipX: true, elastic: { strength: 2, smoothness: 8, seed: 1 } };
    expect(settingKey({ ...withMask, mask_editor: { source: 'example', transform } }, 'mask')).toBe('transformed (rotateDeg, flipX, elastic)');
  });
});
