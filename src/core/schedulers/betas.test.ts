import { describe, expect, it } from 'vitest';
import golden from './fixtures/betas.json';
import { makeAlphasCumprod, makeBetas } from './betas';
import type { BetaSchedule } from './types';

const SCHEDULES: BetaSchedule[] = ['linear', 'scaled_linear', 'squaredcos_cap_v2'];

describe('betas (golden: training/golden/golden_schedulers.py, tolerance 1e-12 relative)', () => {
  for (const schedule of SCHEDULES) {
    it(schedule, () => {
      const ref = golden[schedule];
      const betas = makeBetas(schedule, ref.beta_start, ref.beta_end, 1000);
      const ac = makeAlphasCumprod({
        numTrainTimesteps: 1000,
        betaSchedule: schedule,
        betaStart: ref.beta_start,
        betaEnd: ref.beta_end,
        predictionType: 'epsilon',
      });
      golden.indices.forEach((idx, k) => {
        expect(Math.abs(betas[idx] - ref.betas[k])).toBeLessThanOrEqual(1e-12 * ref.betas[k]);
        expect(Math.abs(ac[idx] - ref.alphas_cumprod[k])).toBeLessThanOrEqual(1e-12 * ref.alphas_cumprod[k]);
      });
    });
  }
});
