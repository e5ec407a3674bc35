import { describe, expect, it } from 'vitest';
import { runAugmentExperiment } from './augmentExperiment.ts';
import { mulberry32 } from '../rng.ts';
import { runClassificationExperiment } from './classification.ts';
import { experimentClasses } from './labelledRows.ts';
import { CLASSIFICATION_DEFAULTS } from './settings.ts';

// Two separable classes in 3-d feature space plus an off-class image per set, so the
// orchestration has something to leave out.
const uniform = mulberry32(5);
const sample = (label: string, i: number) => ({ label, id: `${label}-${i}`, vector: [label === 'b' ? 1 : -1, uniform() - 0.5, uniform() - 0.5] });
const set = (n: number) => [...Array.from({ length: n }, (_, i) => sample(i % 2 ? 'b' : 'a', i)), sample('c', n)];
const pools = { real: set(12), test: set(10), synthetic: set(8) };
const settings = { ...CLASSIFICATION_DEFAULTS, sizes: [4, 8], ratios: [0, 1], bootstrapIterations: 50 };

describe('classification augmentation experiment', () => {
  it('keeps the samples of the classes, reads features in order (real, test, synthetic) and gives the heads what they expect', async () => {
    const asked: string[] = [];
    const out = await runClassificationExperiment({
      settings, classes: ['a', 'b'], ...pools,
      features: async (s) => (asked.push(s.id), s.vector),
    });
    expect(out.counts).toEqual({ real: 12, test: 10, synthetic: 8 });
    expect(asked).toHaveLength(30);
    expect(asked.some((id) => id.startsWith('c-'))).toBe(false);
    const labelled = (samples: typeof pools.real) => {
      const kept = samples.filter((s) => s.label !== 'c');
      return { features: kept.map((s) => s.vector), labels: kept.map((s) => (s.label === 'a' ? 0 : 1)) };
    };
    const direct = runAugmentExperiment({ real: labelled(pools.real), test: labelled(pools.test), synthetic: labelled(pools.synthetic), classCount: 2, ...settings });
    expect(out.rows).toEqual(direct);
    expect(out.rows.map((r) => [r.size, r.ratio, r.syntheticCount])).toEqual([[4, 0, 0], [4, 1, 4], [8, 0, 0], [8, 1, 8]]);
  });

  it('refuses sets with nothing of the classes, and stops between images when cancelled', async () => {
    const features = async (s: { vector: number[] }) => s.vector;
    await expect(runClassificationExperiment({ settings, classes: ['a', 'b'], ...pools, test: [sample('c', 0)], features })).rejects.toThrow('no test image is labelled with one of [a, b]');
    let calls = 0;
    await expect(runClassificationExperiment({ settings, classes: ['a', 'b'], ...pools, features: async (s) => (calls++, s.vector), isCancelled: () => calls === 3 })).rejects.toMatchObject({ code: 'aborted' });
    expect(calls).toBe(3);
    expect(() => experimentClasses(['a', 'a'])).toThrow('at least two classes, received [a]');
    expect(experimentClasses(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
});
