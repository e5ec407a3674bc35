import { makeAlphasCumprod } from './betas';
import { linspace, roundHalfEven } from './linspace';
import type { NoiseScheduleConfig, Scheduler } from './types';

/**
 * How inference timesteps are picked out of the training range. `linspace` is
 * round(linspace(T-1, 0, S)), what the reference-v0 generator was sampled with;
 * `leading` and `trailing` are diffusers' other two options.
 */
export type TimestepSpacing = 'linspace' | 'leading' | 'trailing';

export function ddimTimesteps(steps: number, numTrainTimesteps: number, spacing: TimestepSpacing): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > numTrainTimesteps) {
    throw new RangeError(`DDIM steps must be an integer in 1..${numTrainTimesteps}, got ${steps}`);
  }
  switch (spacing) {
    case 'linspace':
      return linspace(numTrainTimesteps - 1, 0, steps).map(roundHalfEven);
    case 'leading': {
      const ratio = Math.floor(numTrainTimesteps / steps);
      return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio);
    }
    case 'trailing': {
      const ratio = numTrainTimesteps / steps;
      return Array.from({ length: steps }, (_, i) => roundHalfEven(numTrainTimesteps - i * ratio) - 1);
    }
  }
}

/**
 * DDIM with eta 0 (deterministic), epsilon prediction, no sample clipping, final
 * alpha_cumprod 1 (diffusers' DDIMScheduler with set_alpha_to_one). The previous
 * timestep is the next entry of `timesteps` rather than diffusers' `t - T // S`:
 * the two agree for 'leading' spacing, and only the former is right for 'linspace'.
 */
export class DDIMScheduler implements Scheduler {
  readonly name = 'ddim' as const;
  private readonly alphasCumprod: Float64Array;
  private steps: number[] = [];

  constructor(
    private readonly config: NoiseScheduleConfig,
    private readonly spacing: TimestepSpacing = 'linspace',
  ) {
    this.alphasCumprod = makeAlphasCumprod(config);
  }

  get timesteps(): readonly number[] {
    return this.steps;
  }

  setTimesteps(numInferenceSteps: number): void {
    this.steps = ddimTimesteps(numInferenceSteps, this.config.numTrainTimesteps, this.spacing);
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    const index = this.steps.indexOf(timestep);
    if (index < 0) throw new RangeError(`timestep ${timestep} is not one of this schedule's timesteps`);
    if (modelOutput.length !== sample.length) {
      throw new RangeError(`model output has ${modelOutput.length} values, sample has ${sample.length}`);
    }
    const alphaT = this.alphasCumprod[timestep];
    const alphaPrev = index + 1 < this.steps.length ? this.alphasCumprod[this.steps[index + 1]] : 1;
    const sqrtAlphaT = Math.sqrt(alphaT);
    const sqrtOneMinusAlphaT = Math.sqrt(1 - alphaT);
    const sqrtAlphaPrev = Math.sqrt(alphaPrev);
    const sqrtOneMinusAlphaPrev = Math.sqrt(1 - alphaPrev);
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const eps = modelOutput[i];
      const predOriginal = (sample[i] - sqrtOneMinusAlphaT * eps) / sqrtAlphaT;
      out[i] = sqrtAlphaPrev * predOriginal + sqrtOneMinusAlphaPrev * eps;
    }
    return out;
  }
}
