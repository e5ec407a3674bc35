import { describe, expect, it } from 'vitest';
import golden from './fixtures/ddim.json';
import { fakeModel, maxAbsDiff } from './fixtures/fakeModel';
import { DDIMScheduler, ddimTimesteps, type TimestepSpacing } from './ddim';
import { STABLE_DIFFUSION_SCHEDULE } from './types';

// Float32 tensors against a float64 reference: 1e-5 covers rounding of values up to ~10.
const TOLERANCE = 1e-5;

describe('DDIM (golden: training/golden/golden_schedulers.py)', () => {
  it.each(['linspace', 'leading', 'trailing'] as TimestepSpacing[])('timesteps, %s spacing', (spacing) => {
    for (const [steps, expected] of Object.entries(golden.timesteps[spacing])) {
      expect(ddimTimesteps(Number(steps), 1000, spacing)).toEqual(expected);
    }
  });

  it('matches the reference-v0 sampler timesteps for 20 steps', () => {
    const s = new DDIMScheduler(STABLE_DIFFUSION_SCHEDULE);
    s.setTimesteps(20);
    expect(s.timesteps.slice(0, 3)).toEqual([999, 946, 894]);
    expect(s.timesteps.at(-1)).toBe(0);
  });

  it('one step', () => {
    const ref = golden.one_step;
    const s = new DDIMScheduler(STABLE_DIFFUSION_SCHEDULE);
    s.setTimesteps(ref.steps);
    const out = s.step(Float32Array.from(ref.model_output), ref.t, Float32Array.from(ref.sample));
    expect(maxAbsDiff(out, ref.prev_sample)).toBeLessThan(TOLERANCE);
  });

  it.each(['linspace', 'leading'] as const)('10-step loop, %s spacing', (spacing) => {
    const s = new DDIMScheduler(STABLE_DIFFUSION_SCHEDULE, spacing);
    s.setTimesteps(golden.loops[spacing].steps);
    let x: Float32Array = Float32Array.from(golden.one_step.sample);
    for (const t of s.timesteps) x = s.step(fakeModel(x, t), t, x);
    expect(maxAbsDiff(x, golden.loops[spacing].final)).toBeLessThan(TOLERANCE);
  });

  it('rejects a timestep outside the schedule and mismatched lengths', () => {
    const s = new DDIMScheduler(STABLE_DIFFUSION_SCHEDULE);
    s.setTimesteps(10);
    expect(() => s.step(new Float32Array(4), 5, new Float32Array(4))).toThrow(/not one of/);
    expect(() => s.step(new Float32Array(3), 999, new Float32Array(4))).toThrow(/3 values/);
    expect(() => s.setTimesteps(0)).toThrow(RangeError);
  });
});
