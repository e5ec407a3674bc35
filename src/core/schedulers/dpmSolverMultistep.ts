import { makeAlphasCumprod } from './betas';
import { linspace, roundHalfEven } from './linspace';
import type { NoiseScheduleConfig, Scheduler } from './types';

/** alpha_t = 1/sqrt(sigma^2+1), sigma_t = sigma * alpha_t (VP parameterisation). */
function alphaSigma(sigma: number): [alpha: number, sigma: number] {
  const alpha = 1 / Math.sqrt(sigma * sigma + 1);
  return [alpha, sigma * alpha];
}

/** log-SNR / 2; +Infinity at sigma 0, which the update formulas handle (exp(-inf) = 0). */
function lambdaOf(sigma: number): number {
  const [alpha, sigmaT] = alphaSigma(sigma);
  return Math.log(alpha) - Math.log(sigmaT);
}

/**
 * DPM-Solver++ 2M: diffusers' DPMSolverMultistepScheduler with algorithm_type
 * "dpmsolver++", solver_order 2, solver_type "midpoint", lower_order_final,
 * final_sigmas_type "zero", timestep_spacing "linspace", epsilon prediction.
 * The first step and the last step are first order; the others use the previous
 * data prediction as well.
 */
export class DPMSolverMultistepScheduler implements Scheduler {
  readonly name = 'dpmpp2m' as const;
  private readonly allSigmas: Float64Array;
  private steps: number[] = [];
  private sigmas: number[] = [];
  private previousX0: Float32Array | null = null;
  private stepIndex: number | null = null;

  constructor(private readonly config: NoiseScheduleConfig) {
    const alphasCumprod = makeAlphasCumprod(config);
    this.allSigmas = alphasCumprod.map((a) => Math.sqrt((1 - a) / a));
  }

  get timesteps(): readonly number[] {
    return this.steps;
  }

  setTimesteps(numInferenceSteps: number): void {
    const trainSteps = this.config.numTrainTimesteps;
    if (!Number.isInteger(numInferenceSteps) || numInferenceSteps < 1 || numInferenceSteps > trainSteps) {
      throw new RangeError(`DPM-Solver steps must be an integer in 1..${trainSteps}, got ${numInferenceSteps}`);
    }
    this.steps = linspace(0, trainSteps - 1, numInferenceSteps + 1)
      .map(roundHalfEven)
      .reverse()
      .slice(0, numInferenceSteps);
    this.sigmas = [...this.steps.map((t) => this.allSigmas[t]), 0];
    this.previousX0 = null;
    this.stepIndex = null;
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    if (modelOutput.length !== sample.length) {
      throw new RangeError(`model output has ${modelOutput.length} values, sample has ${sample.length}`);
    }
    if (this.stepIndex === null) {
      const found = this.steps.indexOf(timestep);
      if (found < 0) throw new RangeError(`timestep ${timestep} is not one of this schedule's timesteps`);
      this.stepIndex = found;
    }
    const i = this.stepIndex;
    if (this.steps[i] !== timestep) {
      throw new RangeError(`expected timestep ${this.steps[i]} (step ${i}), got ${timestep}: steps must run in order`);
    }
    const sigmaS0 = this.sigmas[i];
    const sigmaNext = this.sigmas[i + 1];
    const [alphaS0, sigmaTS0] = alphaSigma(sigmaS0);
    const [alphaNext, sigmaTNext] = alphaSigma(sigmaNext);

    const x0 = new Float32Array(sample.length);
    for (let k = 0; k < sample.length; k++) x0[k] = (sample[k] - sigmaTS0 * modelOutput[k]) / alphaS0;

    const h = lambdaOf(sigmaNext) - lambdaOf(sigmaS0);
    const expm1 = Math.exp(-h) - 1;
    const ratio = sigmaTNext / sigmaTS0;
    const isLast = i === this.steps.length - 1;
    const out = new Float32Array(sample.length);
    if (this.previousX0 === null || isLast) {
      for (let k = 0; k < sample.length; k++) out[k] = ratio * sample[k] - alphaNext * expm1 * x0[k];
    } else {
      const h0 = lambdaOf(sigmaS0) - lambdaOf(this.sigmas[i - 1]);
      const r0 = h0 / h;
      const prev = this.previousX0;
      for (let k = 0; k < sample.length; k++) {
        const d1 = (x0[k] - prev[k]) / r0;
        out[k] = ratio * sample[k] - alphaNext * expm1 * x0[k] - 0.5 * alphaNext * expm1 * d1;
      }
    }
    this.previousX0 = x0;
    this.stepIndex = i + 1;
    return out;
  }
}
