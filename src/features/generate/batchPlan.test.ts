import { describe, expect, it } from 'vitest';
import { batchRequest } from '../../core/generation/index.ts';
import { generationBatch, planSize, remaining, type BatchPlan } from './batchPlan.ts';

const mask = (name: string) => ({ name, bytes: new Uint8Array([1]), layer: 'lung' });
const plan: BatchPlan = {
  id: 'b',
  bundle: 'cxr-studio-v1',
  createdAt: 0,
  settings: { prompt: 'p', negativePrompt: '', steps: 2, guidance: 3, scheduler: 'ddim', seed: 4294967295, batchSize: 2 },
  masks: [{ mask: mask('a.png') }, { mask: mask('b.png'), editor: { tool: 'brush' } }],
  done: [0, 2],
};

describe('batch plan', () => {
  it('lists what is left of a batch whose images 0 and 2 are in the gallery', () => {
    expect(planSize(plan)).toBe(4);
    expect(remaining(plan)).toEqual([1, 3]);
    expect(remaining({ ...plan, done: [0, 1, 2, 3] })).toEqual([]);
  });
  it('gives each index the seed and mask it had before the batch stopped (seeds wrap to uint32)', () => {
    const batch = generationBatch(plan);
    expect(batchRequest(batch, 1)).toMatchObject({ seed: 0, mask: { name: 'a.png' } });
    expect(batchRequest(batch, 3)).toMatchObject({ seed: 0, mask: { name: 'b.png' }, maskEditor: { tool: 'brush' } });
    expect(batchRequest(batch, 2).seed).toBe(4294967295);
    expect(batchRequest(generationBatch({ ...plan, masks: [{}] }), 0)).not.toHaveProperty('mask');
  });
});
