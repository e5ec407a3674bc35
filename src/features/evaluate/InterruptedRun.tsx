import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import type { EvaluationPlan } from '../../core/evaluation/request.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { startRun } from './actions.ts';
import { useEvaluate } from './evaluateStore.ts';
import { discardInterruptedRun, loadInterruptedRun, remainingCount, resumePlan } from './interruptedRun.ts';

/** A run stopped by a fault or a reload: what it kept, and how to score the rest. */
export function InterruptedRun({ manifest, plan, busy }: { manifest?: Manifest; plan?: EvaluationPlan; busy: boolean }) {
  const record = useEvaluate((s) => s.interrupted);
  useEffect(() => {
    void loadInterruptedRun();
  }, []);
  if (!record || busy) return null;
  const left = remainingCount(record);
  const check = plan ? resumePlan(plan, record) : { mismatch: `choose the same images as the stopped run (${record.dataset}: ${record.images.length} images)` };
  const otherModel = manifest && manifest.id !== record.bundle ? `it scored with ${record.bundle}; choose that model to resume it` : undefined;
  const blocked = otherModel ?? ('mismatch' in check ? check.mismatch : undefined);
  return (
    <Alert color="yellow" variant="light" role="status" title="Interrupted evaluation" data-testid="interrupted-evaluation">
      <Stack gap="sm">
        <Text size="sm">
          An evaluation of {record.dataset} stopped after {record.cases.length} of {record.images.length} cases
          {record.stopped ? <>: {record.stopped.title} <Text span size="xs" c="dimmed">{record.stopped.detail}</Text></> : ' when the page was closed or reloaded.'} Its finished cases are kept.
        </Text>
        {blocked && <Text size="sm" c="dimmed">To resume, {blocked}.</Text>}
        <Group gap="sm">
          <Button size="xs" disabled={Boolean(blocked) || !manifest || !plan} onClick={() => manifest && plan && void startRun(manifest, plan, record)}>
            Resume the remaining {left} case{left === 1 ? '' : 's'}
          </Button>
          <Button size="xs" variant="default" onClick={() => void discardInterruptedRun()}>
            Discard
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
