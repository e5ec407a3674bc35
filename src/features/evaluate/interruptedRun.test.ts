import { describe, expect, it } from 'vitest';
import type { EvaluationPlan } from '../../core/evaluation/request.ts';
import { DEFAULT_SETTINGS } from '../../core/evaluation/summary.ts';
import { remainingCount, resumePlan, type InterruptedEvaluation } from './interruptedRun.ts';

const item = (name: string) => ({ stem: name.replace('.png', ''), image: name, mask: name });
const plan: EvaluationPlan = {
  validation: { items: ['a.png', 'b.png', 'c.png', 'd.png'].map(item), issues: [], counts: { images: 4, labelled: 0, withMask: 4, usable: 4, classificationOnly: 0 } },
  roles: ['segmenter'],
  diceChannel: 0,
  settings: DEFAULT_SETTINGS,
  variant: 'fp32',
};
const stopped: InterruptedEvaluation = {
  bundle: 'cxr-studio-v1',
  dataset: '4 file(s)',
  images: ['a.png', 'b.png', 'c.png', 'd.png'],
  cases: [{ stem: 'a', image: 'a.png', ms: 5 }, { stem: 'b', image: 'b.png', ms: 5 }],
};

describe('resuming a stopped evaluation', () => {
  it('plans only the cases the stopped run did not finish, in order', () => {
    expect(remainingCount(stopped)).toBe(2);
    const rest = resumePlan(plan, stopped);
    expect('plan' in rest && rest.plan.validation.items.map((i) => i.image)).toEqual(['c.png', 'd.png']);
    expect('plan' in rest && rest.plan.validation.counts).toEqual(plan.validation.counts);
  });
  it('refuses another image set, naming what was expected', () => {
    const other = { ...plan, validation: { ...plan.validation, items: plan.validation.items.slice(0, 3) } };
    expect(resumePlan(other, stopped)).toEqual({ mismatch: 'choose the same images as the stopped run (4 file(s): 4 images); the chosen set has 3' });
    const renamed = { ...plan, validation: { ...plan.validation, items: ['a.png', 'b.png', 'c.png', 'x.png'].map(item) } };
    expect(resumePlan(renamed, stopped)).toHaveProperty('mismatch');
  });
});
