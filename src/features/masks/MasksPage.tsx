import './masks.css';
import { Alert, Button, Group, Kbd, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { MasksBatchJob } from '../batch/PageBatchJobs.tsx';
import { Panel, PageLayout } from '../../ui/PageLayout.tsx';
import { useActiveBundleId, useAnalysisModels, useManifest } from '../models/queries.ts';
import { EditorToolbar } from './EditorToolbar.tsx';
import { MaskCanvas } from './MaskCanvas.tsx';
import { useMasks } from './maskStore.ts';
import { handleShortcut, SHORTCUTS } from './shortcuts.ts';
import { adoptManifestLayers } from './sources.ts';
import { SourcePanel } from './SourcePanel.tsx';
import { TransformPanel } from './TransformPanel.tsx';
import { exportActiveLayer, sendToGenerator } from './variantActions.ts';
import { VariantsPanel } from './VariantsPanel.tsx';

function Shortcuts() {
  return (
    <details className="mask-shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.keys}>
            <dt>
              <Kbd size="xs">{s.keys}</Kbd>
            </dt>
            <dd>{s.does}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** What became of the last action: an error as an alert, anything else as a quiet line. */
function MaskMessage() {
  const message = useMasks((s) => s.message);
  if (!message) return null;
  return message.kind === 'error' ? (
    <Alert color="red" role="alert" p="xs" data-testid="mask-message">
      <Text size="sm">{message.text}</Text>
    </Alert>
  ) : (
    <Text size="sm" c="dimmed" role="status" data-testid="mask-message">
      {message.text}
    </Text>
  );
}

/** Draw, edit and transform lung / lesion masks, then send them to the generator. */
export function MasksPage() {
  const manifest = useManifest(useActiveBundleId());
  const models = useAnalysisModels();
  const busy = useMasks((s) => s.busy);
  const origin = useMasks((s) => s.origin);

  useEffect(() => {
    if (manifest.data) adoptManifestLayers(manifest.data);
  }, [manifest.data]);

  useEffect(() => {
    window.addEventListener('keydown', handleShortcut);
    return () => window.removeEventListener('keydown', handleShortcut);
  }, []);

  return (
    <PageLayout
      title="Masks"
      className="masks"
      intro="Draw, edit and transform lung and lesion masks over an X-ray or on their own, make random variants, and send them to the generator. Nothing leaves this machine."
      controls={
        <>
          <SourcePanel manifest={manifest.data} segmenterReady={models.isSuccess} />
          <EditorToolbar />
          <Panel title="Use this mask">
            <Group gap="xs" grow>
              <Button onClick={() => void sendToGenerator('current')}>Generate from this mask</Button>
            </Group>
            <Group gap="xs" mt="xs">
              <Button variant="default" size="xs" onClick={exportActiveLayer}>
                Export PNG
              </Button>
              <Text size="xs" c="dimmed">
                the active layer, 0/255
              </Text>
            </Group>
          </Panel>
          {manifest.data?.diffusion && (
            <Panel title="Batch job">
              <MasksBatchJob manifest={manifest.data} />
            </Panel>
          )}
          <Shortcuts />
        </>
      }
    >
      <Stack gap={4}>
        <Text size="sm" fw={500} data-testid="mask-status">
          {busy ?? `Mask: ${origin}`}
        </Text>
        <MaskMessage />
      </Stack>
      <div className="mask-workspace">
        <MaskCanvas />
        <TransformPanel />
      </div>
      <VariantsPanel />
    </PageLayout>
  );
}
