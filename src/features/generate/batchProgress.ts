/** Where a batch stands, from the step events of its current image. */
export interface BatchPosition {
  /** 0-based index of the image being made. */
  image: number;
  batchSize: number;
  step: number;
  totalSteps: number;
  /** ms since the batch started. */
  elapsedMs: number;
}

export interface BatchEstimate {
  imageFraction: number;
  batchFraction: number;
  /** ms left for the batch, from the mean time per step so far; undefined before the first step. */
  etaMs: number | undefined;
}

export function estimateBatch({ image, batchSize, step, totalSteps, elapsedMs }: BatchPosition): BatchEstimate {
  const stepsDone = image * totalSteps + step;
  const stepsAll = batchSize * totalSteps;
  return {
    imageFraction: totalSteps ? step / totalSteps : 0,
    batchFraction: stepsAll ? stepsDone / stepsAll : 0,
    etaMs: stepsDone > 0 ? (elapsedMs / stepsDone) * (stepsAll - stepsDone) : undefined,
  };
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '…';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
