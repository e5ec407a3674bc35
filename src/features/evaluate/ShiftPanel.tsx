import type { CaseResult } from '../../core/evaluation/caseResult.ts';
import type { SetShift } from '../../core/evaluation/datasetShift.ts';

const SHOWN = 20;

/** How unlike the classifier's training sources this set looks, for the set and for each image (src/core/evaluation/datasetShift.ts). */
export function ShiftPanel({ shift, cases }: { shift: SetShift; cases: CaseResult[] }) {
  const flagged = cases.filter((c) => typeof c.shift === 'number' && c.shift > shift.threshold).sort((a, b) => b.shift! - a.shift!);
  const percent = (v: number) => `${(100 * v).toFixed(1)}%`;
  return (
    <section className="panel" aria-label="Dataset shift" data-testid="eval-shift">
      <h3>Dataset shift</h3>
      {shift.warning && (
        <p role="alert" data-testid="eval-shift-warning">
          <strong>This set looks unlike the classifier's training sources</strong> ({shift.trainedOn.join(', ')}): the numbers above may not hold for it.
        </p>
      )}
      <p className="note" data-testid="eval-shift-summary">
        {shift.flagged} of {shift.n} image(s) ({percent(shift.share)}) score above {shift.threshold.toFixed(2)} on the classifier's features, where {percent(shift.falseAlarm)} of held-in validation images do; the set is called unlike above {percent(shift.setLimit)}. Median score {shift.medianScore.toFixed(2)}.
      </p>
      {flagged.length > 0 && (
        <details>
          <summary>{flagged.length} image(s) unlike the training sources</summary>
          <ul data-testid="eval-shift-images">{flagged.slice(0, SHOWN).map((c) => <li key={c.image}>{c.image}: {c.shift!.toFixed(2)}</li>)}</ul>
          {flagged.length > SHOWN && <p className="note">and {flagged.length - SHOWN} more (the per-image CSV has every score)</p>}
        </details>
      )}
    </section>
  );
}
