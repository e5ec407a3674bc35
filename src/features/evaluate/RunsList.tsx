import { ActionIcon, Anchor, Badge, Button, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { deleteRun, listRuns } from '../../storage/evaluationRuns.ts';
import { queryClient } from '../../state/queryClient.ts';
import { compareWithRun, modelNames, reopenRun } from './actions.ts';
import { useEvaluate } from './evaluateStore.ts';
import { fixed } from './format.ts';

/** Earlier runs kept in IndexedDB, newest first; open one to see its results again, or compare the open run with it. */
export function RunsList() {
  const openRunId = useEvaluate((s) => s.openRunId);
  const hasOpen = useEvaluate((s) => Boolean(s.summary));
  const runs = useQuery({ queryKey: ['evaluation-runs'], queryFn: listRuns });
  if (!runs.data?.length) return null;
  return (
    <Paper component="section" withBorder radius="md" p="md" aria-label="Saved runs">
      <Stack gap="sm">
        <Group gap="xs" align="baseline">
          <Title order={3} size="h4">Saved runs</Title>
          <Text size="sm" c="dimmed">kept in this browser, newest first</Text>
        </Group>
        <ul data-testid="runs-list" className="runs-list">
          {runs.data.map((r) => (
            <li key={r.id} aria-current={r.id === openRunId ? 'true' : undefined}>
              <Stack gap={4} className="runs-list-main">
                <Anchor component="button" type="button" size="sm" fw={500} ta="left" onClick={() => void reopenRun(r.id)}>
                  {new Date(r.createdAt).toLocaleString()} · {r.summary.dataset.name}
                </Anchor>
                <Group gap="xs">
                  <Text size="xs" c="dimmed">
                    {modelNames(r.summary)} · {r.summary.dataset.evaluated} image(s){r.cancelled ? ' (cancelled)' : ''}
                  </Text>
                  {r.summary.classification && <Badge variant="light" size="sm" tt="none">macro F1 {fixed(r.summary.classification.macro.f1)}</Badge>}
                  {r.summary.segmentation && <Badge variant="light" size="sm" color="teal" tt="none">Dice {fixed(r.summary.segmentation.meanDice)}</Badge>}
                  {r.id === openRunId && <Badge variant="outline" size="sm" color="gray" tt="none">open</Badge>}
                </Group>
              </Stack>
              <Group gap="xs" wrap="nowrap">
                {hasOpen && r.id !== openRunId && (
                  <Button variant="default" size="xs" onClick={() => void compareWithRun(r.id)}>
                    compare open run with this
                  </Button>
                )}
                <Tooltip label="Delete this saved run">
                  <ActionIcon variant="subtle" color="gray" aria-label="Delete run" onClick={() => void deleteRun(r.id).then(() => queryClient.invalidateQueries({ queryKey: ['evaluation-runs'] }))}>
                    ✕
                  </ActionIcon>
                </Tooltip>
              </Group>
            </li>
          ))}
        </ul>
      </Stack>
    </Paper>
  );
}
