import { describe, expect, it } from 'vitest';
import golden from './fixtures/dpmpp2m.json';
import { fakeModel, maxAbsDiff } from './fixtures/fakeModel';
import { DPMSolverMultistepScheduler } from './dpmSolverMultistep';
import { STABLE_DIFFUSION_SCHEDULE } from './types';

// Float32 tensors against a float64 reference; x0 predictions at t=999 reach ~15x
// the sample, so allow 5e-5 absolute.
const TOLERANCE = 5e-5;

describe('DPM-Solver++ 2M (golden: training/golden/golden_schedulers.py)', () => {
  it('timesteps', () => {
    const s = new DPMSolverMultistepScheduler(STABLE_DIFFUSION_SCHEDULE);
    for (const [steps, expected] of Object.entries(golden.timesteps)) {
      s.setTimesteps(Number(steps));
      expect(s.timesteps).toEqual(expected);
    }
  });

  it('first (first-order) and second (second-order) step', () => {
    const ref = golden.first_steps;
    const s = new DPMSolverMultistepScheduler(STABLE_DIFFUSION_SCHEDULE);
    s.setTimesteps(ref.steps);
    const [t0, t1] = s.timesteps;
    const x = Float32Array.from(ref.sample);
    const first = s.step(fakeModel(x, t0), t0, x);
    expect(maxAbsDiff(first, ref.after_step_1)).toBeLessThan(TOLERANCE);
    const second = s.step(fakeModel(first, t1), t1, first);
    expect(maxAbsDiff(second, ref.after_step_2)).toBeLessThan(TOLERANCE);
  });

  it('10-step loop, and again after setTimesteps resets the history', () => {
    const s = new DPMSolverMultistepScheduler(STABLE_DIFFUSION_SCHEDULE);
    for (let run = 0; run < 2; run++) {
      s.setTimesteps(golden.loop.steps);
      let x: Float32Array = Float32Array.from(golden.first_steps.sample);
      for (const t of s.timesteps) x = s.step(fakeModel(x, t), t, x);
      expect(maxAbsDiff(x, golden.loop.final)).toBeLessThan(TOLERANCE);
    }
  });

  it('refuses steps out of order', () => {
    const s = new DPMSolverMultistepScheduler(STABLE_DIFFUSION_SCHEDULE);
    s.setTimesteps(5);
    const x = new Float32Array(4);
    s.step(x, s.timesteps[0], x);
    expect(() => s.step(x, s.timesteps[3], x)).toThrow(/in order/);
  });
});
