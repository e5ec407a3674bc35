import { Alert, Button, Group, Text } from '@mantine/core';
import type { Manifest } from '../../core/manifest/types.ts';
import { discardInterruptedBatch, resumeBatch } from './actions.ts';
import { planSize, remaining } from './batchPlan.ts';
import { useGenerate } from './generateStore.ts';

/** A batch that stopped before its end (crash, lost GPU, backend switch, reload): what it kept, and a way to finish it. */
export function InterruptedBatch({ manifest, ready }: { manifest: Manifest; ready: boolean }) {
  const plan = useGenerate((s) => s.interrupted);
  const running = useGenerate((s) => Boolean(s.run));
  if (!plan || running) return null;
  const left = remaining(plan).length;
  const otherBundle = plan.bundle !== manifest.id;
  return (
    <Alert color="yellow" role="status" data-testid="interrupted-batch">
      <Text size="sm">
        A batch stopped after {plan.done.length} of {planSize(plan)} images
        {plan.stopped ? <>: {plan.stopped.title} <small>{plan.stopped.detail}</small></> : ' when the page was closed or reloaded.'} Its finished images are in the gallery.
        {otherBundle && <> It was made with {plan.bundle}; choose that bundle on the Models page to resume it.</>}
      </Text>
      <Group gap="xs" mt="sm">
        <Button size="xs" onClick={() => void resumeBatch(manifest)} disabled={!ready || otherBundle}>
          Resume the remaining {left} image{left === 1 ? '' : 's'}
        </Button>
        <Button size="xs" variant="default" onClick={() => void discardInterruptedBatch()}>
          Discard
        </Button>
      </Group>
    </Alert>
  );
}
