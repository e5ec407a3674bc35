import { DDIMScheduler } from './ddim';
import { DPMSolverMultistepScheduler } from './dpmSolverMultistep';
import type { NoiseScheduleConfig, Scheduler, SchedulerName } from './types';

export const SCHEDULER_NAMES: readonly SchedulerName[] = Object.freeze(['ddim', 'dpmpp2m']);

export const SCHEDULER_LABELS: Readonly<Record<SchedulerName, string>> = Object.freeze({
  ddim: 'DDIM',
  dpmpp2m: 'DPM-Solver++ 2M',
});

export function createScheduler(name: SchedulerName, config: NoiseScheduleConfig): Scheduler {
  switch (name) {
    case 'ddim':
      return new DDIMScheduler(config);
    case 'dpmpp2m':
      return new DPMSolverMultistepScheduler(config);
  }
}

export type { NoiseScheduleConfig, Scheduler, SchedulerName } from './types';
