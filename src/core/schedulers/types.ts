/** The noise schedule a model was trained with (the manifest's `diffusion` block). */
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';

export interface NoiseScheduleConfig {
  numTrainTimesteps: number;
  betaSchedule: BetaSchedule;
  betaStart: number;
  betaEnd: number;
  /** Only epsilon prediction is implemented; the type leaves room for v/sample. */
  predictionType: 'epsilon';
}

export const STABLE_DIFFUSION_SCHEDULE: NoiseScheduleConfig = Object.freeze({
  numTrainTimesteps: 1000,
  betaSchedule: 'scaled_linear',
  betaStart: 0.00085,
  betaEnd: 0.012,
  predictionType: 'epsilon',
});

/**
 * One interface for every sampler, after diffusers' SchedulerMixin:
 * `setTimesteps(n)`, then for each `t` of `timesteps`: `sample = step(eps, t, sample)`.
 */
export interface Scheduler {
  readonly name: SchedulerName;
  readonly timesteps: readonly number[];
  setTimesteps(numInferenceSteps: number): void;
  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array;
}

export type SchedulerName = 'ddim' | 'dpmpp2m';
