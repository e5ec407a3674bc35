import { Alert, Button, Group, List, Loader, Paper, Progress, Stack, Text } from '@mantine/core';
import { cancelRun } from './actions.ts';
import { useEvaluate, type RunStatus } from './evaluateStore.ts';
import { eta, fixed } from './format.ts';

const STATUS_CLASS: Partial<Record<RunStatus, string>> = { done: 'ok', failed: 'error' };

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
    <Paper component="section" withBorder radius="md" p="md" aria-label="Run">
      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Group gap="xs">
            {(active || run.status === 'summarizing') && <Loader size="xs" />}
            <Text size="sm" fw={500}>
              <span data-testid="eval-progress"> {done} of {run.total}</span>
              {run.status === 'running' && <span> · about {eta(done, run.total, (run.lastAt ?? run.startedAt) - run.startedAt)} left</span>}
              <span data-testid="eval-status" className={STATUS_CLASS[run.status]}> · {run.status}</span>
            </Text>
          </Group>
          {active && <Button variant="default" size="xs" onClick={() => void cancelRun()}>Cancel</Button>}
        </Group>
        <Progress value={run.total ? (100 * done) / run.total : 0} animated={active} aria-label={`${done} of ${run.total} images evaluated`} />
        {active && soFar && <Text size="sm" data-testid="eval-so-far">{soFar}</Text>}
        {run.error && (
          <Alert color="red" title={run.error.title}>
            {run.error.detail}
          </Alert>
        )}
        {failed.length > 0 && (
          <details className="more" open>
            <summary className="error">{failed.length} image(s) failed</summary>
            {/* each detail names its file (src/core/evaluation/evaluateCase.ts) */}
            <List size="sm" data-testid="eval-failures" className="scroll-list">
              {failed.map((c) => <List.Item key={c.image}>{c.error ? `${c.error.code}: ${c.error.detail}` : `mask ${c.maskError!.code}: ${c.maskError!.detail}`}</List.Item>)}
            </List>
          </details>
        )}
        {noted.length > 0 && (
          <details className="more">
            <summary>{noted.length} note(s) on scored images</summary>
            <List size="sm" data-testid="eval-notes" aria-label="Notes on scored images" className="scroll-list">
              {noted.map((line) => <List.Item key={line}>{line}</List.Item>)}
            </List>
          </details>
        )}
      </Stack>
    </Paper>
  );
}
