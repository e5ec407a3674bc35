import { Alert, Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { estimateBatch, formatDuration } from './batchProgress.ts';
import { cancelBatch } from './actions.ts';
import { useGenerate } from './generateStore.ts';

/** The running batch (this image's steps, the whole batch, time left, Cancel), or how the last one ended early. */
export function ProgressPanel() {
  const run = useGenerate((s) => s.run);
  const outcome = useGenerate((s) => s.outcome);
  if (!run) {
    return outcome ? (
      <Alert color={outcome.kind === 'error' ? 'red' : 'gray'} role={outcome.kind === 'error' ? 'alert' : 'status'} data-testid="batch-outcome">
        {outcome.title} {outcome.detail}
      </Alert>
    ) : null;
  }
  const estimate = estimateBatch(run);
  return (
    <Paper withBorder p="md" radius="md" data-testid="batch-progress">
      <Stack gap="sm">
        <div>
          <Group justify="space-between" mb={4}>
            <Text size="sm">
              Image {run.image + 1} of {run.batchSize}: step <span data-testid="step">{run.step}</span> of {run.totalSteps}
            </Text>
          </Group>
          <Progress value={estimate.imageFraction * 100} aria-label="Image progress" transitionDuration={150} />
        </div>
        <div>
          <Group justify="space-between" mb={4}>
            <Text size="sm">Batch: {Math.round(estimate.batchFraction * 100)}%</Text>
            <Text size="sm" c="dimmed">
              about {formatDuration(estimate.etaMs)} left
            </Text>
          </Group>
          <Progress value={estimate.batchFraction * 100} aria-label="Batch progress" transitionDuration={150} />
        </div>
        <Group justify="flex-end">
          <Button variant="default" color="red" onClick={() => void cancelBatch()} disabled={run.cancelling}>
            {run.cancelling ? 'Cancelling…' : 'Cancel'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
