import type { BetaSchedule, NoiseScheduleConfig } from './types';
import { linspace } from './linspace';

/** Betas as in diffusers' schedulers, in float64. */
export function makeBetas(schedule: BetaSchedule, betaStart: number, betaEnd: number, n: number): Float64Array {
  switch (schedule) {
    case 'linear':
      return Float64Array.from(linspace(betaStart, betaEnd, n));
    case 'scaled_linear':
      return Float64Array.from(linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), n), (b) => b * b);
    case 'squaredcos_cap_v2': {
      const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
      return Float64Array.from({ length: n }, (_, i) => Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), 0.999));
    }
  }
}

export function makeAlphasCumprod(config: NoiseScheduleConfig): Float64Array {
  const betas = makeBetas(config.betaSchedule, config.betaStart, config.betaEnd, config.numTrainTimesteps);
  const out = new Float64Array(betas.length);
  let product = 1;
  betas.forEach((beta, i) => {
    product *= 1 - beta;
    out[i] = product;
  });
  return out;
}
