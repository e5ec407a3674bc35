import { Alert, Stack, Text } from '@mantine/core';
import type { CaseResult } from '../../core/evaluation/caseResult.ts';
import type { SetShift } from '../../core/evaluation/datasetShift.ts';

const SHOWN = 20;

/**
 * How unlike the classifier's training sources this set looks, for the set and for each image
 * (src/core/evaluation/datasetShift.ts): a warning callout when the set is unlike them, a quiet one when not.
 */
export function ShiftPanel({ shift, cases }: { shift: SetShift; cases: CaseResult[] }) {
  const flagged = cases.filter((c) => typeof c.shift === 'number' && c.shift > shift.threshold).sort((a, b) => b.shift! - a.shift!);
  const percent = (v: number) => `${(100 * v).toFixed(1)}%`;
  return (
    <Alert
      role={shift.warning ? 'alert' : 'region'}
      data-testid="eval-shift"
      color={shift.warning ? 'yellow' : 'gray'}
      variant="light"
      title={shift.warning ? <span data-testid="eval-shift-warning">Dataset shift: this set looks unlike the classifier's training sources</span> : 'Dataset shift: none found'}
    >
      <Stack gap="xs">
        {shift.warning && <Text size="sm">It was trained on {shift.trainedOn.join(', ')}: the numbers below may not hold for this set.</Text>}
        <Text size="sm" data-testid="eval-shift-summary">
          {shift.flagged} of {shift.n} image(s) ({percent(shift.share)}) score above {shift.threshold.toFixed(2)} on the classifier's features, where {percent(shift.falseAlarm)} of held-in validation images do; the set is called unlike above {percent(shift.setLimit)}. Median score {shift.medianScore.toFixed(2)}.
        </Text>
        {flagged.length > 0 && (
          <details className="more">
            <summary>{flagged.length} image(s) unlike the training sources</summary>
            <ul data-testid="eval-shift-images">{flagged.slice(0, SHOWN).map((c) => <li key={c.image}>{c.image}: {c.shift!.toFixed(2)}</li>)}</ul>
            {flagged.length > SHOWN && <Text size="sm" c="dimmed">and {flagged.length - SHOWN} more (the per-image CSV has every score)</Text>}
          </details>
        )}
      </Stack>
    </Alert>
  );
}
