import { describe, expect, it } from 'vitest';
import { jobAt, planSize, remaining, type BatchPlan } from './batchPlan.ts';

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
    expect(jobAt(plan, 1).job).toMatchObject({ seed: 0, mask: { name: 'a.png' } });
    expect(jobAt(plan, 3)).toMatchObject({ job: { seed: 0, mask: { name: 'b.png' } }, editor: { tool: 'brush' } });
    expect(jobAt(plan, 2).job.seed).toBe(4294967295);
    expect(jobAt({ ...plan, masks: [{}] }, 0).job).not.toHaveProperty('mask');
  });
});
