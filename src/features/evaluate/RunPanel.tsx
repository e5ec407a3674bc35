import { cancelRun } from './actions.ts';
import { useEvaluate } from './evaluateStore.ts';
import { eta, fixed } from './format.ts';

/** Progress n of N with an ETA, cancel, and each failed image with its reason as it happens. */
export function RunPanel() {
  const run = useEvaluate((s) => s.run);
  if (!run) return null;
  const done = run.cases.length;
  const failed = run.cases.filter((c) => c.error || c.maskError);
  // scored, but decoding changed the values or the mask looks wrong: said, not hidden
  const noted = run.cases.flatMap((c) => [
    ...(c.notes ?? []).map((note) => `${c.image}: ${note}`),
    ...(c.maskWarnings ?? []).map((warning) => `mask ${c.mask ?? c.image}: ${warning}`),
  ]);
  const active = run.status === 'running' || run.status === 'loading-models';
  // running numbers while images stream in; the summary with intervals comes at the end
  const labelled = run.cases.filter((c) => c.classIndex !== undefined && c.predictedIndex !== undefined);
  const dices = run.cases.flatMap((c) => (typeof c.dice === 'number' ? [c.dice] : []));
  const soFar = [
    labelled.length ? `accuracy so far ${fixed(labelled.filter((c) => c.classIndex === c.predictedIndex).length / labelled.length)}` : '',
    dices.length ? `mean Dice so far ${fixed(dices.reduce((a, b) => a + b, 0) / dices.length)}` : '',
  ].filter(Boolean).join(' · ');
  return (
    <section className="panel" aria-label="Run">
      <progress max={run.total} value={done} />
      <span data-testid="eval-progress"> {done} of {run.total}</span>
      {run.status === 'running' && <span> · about {eta(done, run.total, (run.lastAt ?? run.startedAt) - run.startedAt)} left</span>}
      <span data-testid="eval-status"> · {run.status}</span>
      {active && <button type="button" onClick={() => void cancelRun()}>Cancel</button>}
      {active && soFar && <p data-testid="eval-so-far">{soFar}</p>}
      {run.error && <p role="alert"><strong>{run.error.title}</strong> {run.error.detail}</p>}
      {failed.length > 0 && (
        <ul data-testid="eval-failures">
          {/* each detail names its file (src/core/evaluation/evaluateCase.ts) */}
          {failed.map((c) => <li key={c.image}>{c.error ? `${c.error.code}: ${c.error.detail}` : `mask ${c.maskError!.code}: ${c.maskError!.detail}`}</li>)}
        </ul>
      )}
      {noted.length > 0 && (
        <ul data-testid="eval-notes" aria-label="Notes on scored images">
          {noted.map((line) => <li key={line}>{line}</li>)}
        </ul>
      )}
    </section>
  );
}
