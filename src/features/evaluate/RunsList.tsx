import { useQuery } from '@tanstack/react-query';
import { deleteRun, listRuns } from '../../storage/evaluationRuns.ts';
import { queryClient } from '../../state/queryClient.ts';
import { compareWithRun, modelNames, reopenRun } from './actions.ts';
import { useEvaluate } from './evaluateStore.ts';
import { fixed } from './format.ts';

/** Earlier runs kept in IndexedDB, newest first; open one to see its results again. */
export function RunsList() {
  const openRunId = useEvaluate((s) => s.openRunId);
  const hasOpen = useEvaluate((s) => Boolean(s.summary));
  const runs = useQuery({ queryKey: ['evaluation-runs'], queryFn: listRuns });
  if (!runs.data?.length) return null;
  return (
    <section className="panel" aria-label="Saved runs">
      <h2>Saved runs</h2>
      <ul data-testid="runs-list">
        {runs.data.map((r) => (
          <li key={r.id} aria-current={r.id === openRunId ? 'true' : undefined}>
            <button type="button" className="link" onClick={() => void reopenRun(r.id)}>{new Date(r.createdAt).toLocaleString()} · {r.summary.dataset.name}</button>
            {' '}{modelNames(r.summary)} ·
            {' '}{r.summary.dataset.evaluated} image(s){r.cancelled ? ' (cancelled)' : ''}
            {r.summary.classification && ` · macro F1 ${fixed(r.summary.classification.macro.f1)}`}
            {r.summary.segmentation && ` · Dice ${fixed(r.summary.segmentation.meanDice)}`}
            {hasOpen && r.id !== openRunId && <>{' '}<button type="button" onClick={() => void compareWithRun(r.id)}>compare open run with this</button></>}
            {' '}<button type="button" aria-label="Delete run" onClick={() => void deleteRun(r.id).then(() => queryClient.invalidateQueries({ queryKey: ['evaluation-runs'] }))}>✕</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
