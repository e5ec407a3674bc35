import { estimateBatch, formatDuration } from './batchProgress.ts';
import { cancelBatch } from './actions.ts';
import { useGenerate } from './generateStore.ts';

export function ProgressPanel() {
  const run = useGenerate((s) => s.run);
  const outcome = useGenerate((s) => s.outcome);
  if (!run) {
    return outcome ? (
      <p role="status" className={outcome.kind === 'error' ? 'error' : 'note'} data-testid="batch-outcome">
        {outcome.title} {outcome.detail}
      </p>
    ) : null;
  }
  const estimate = estimateBatch(run);
  return (
    <div className="progress-panel" data-testid="batch-progress">
      <p>
        Image {run.image + 1} of {run.batchSize}: step <span data-testid="step">{run.step}</span> of {run.totalSteps}
        <progress max={1} value={estimate.imageFraction} aria-label="Image progress" />
      </p>
      <p>
        Batch: {Math.round(estimate.batchFraction * 100)}%, about {formatDuration(estimate.etaMs)} left
        <progress max={1} value={estimate.batchFraction} aria-label="Batch progress" />
      </p>
      <button type="button" onClick={() => void cancelBatch()} disabled={run.cancelling}>
        {run.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
