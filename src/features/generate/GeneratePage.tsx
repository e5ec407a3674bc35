import './generate.css';
import { Alert, Group, Loader, Text } from '@mantine/core';
import { useEffect } from 'react';
import { userMessage } from '../../core/errors.ts';
import { PageLayout, Panel } from '../../ui/PageLayout.tsx';
import { GenerateBatchJob } from '../batch/PageBatchJobs.tsx';
import { TryExampleButton } from '../examples/TryExampleButton.tsx';
import { generateExample } from '../examples/tryGenerate.ts';
import { loadGallery, loadInterruptedBatch } from './actions.ts';
import { Gallery } from './Gallery.tsx';
import { GenerateForm } from './GenerateForm.tsx';
import { InterruptedBatch } from './InterruptedBatch.tsx';
import { ProgressPanel } from './ProgressPanel.tsx';
import { useGenerator } from './queries.ts';

export function GeneratePage() {
  const { manifest, models, canGenerate } = useGenerator();
  useEffect(() => {
    void loadGallery();
    void loadInterruptedBatch();
  }, []);
  // a generator reloading into a fresh worker (after a crash or a lost GPU) is not ready yet
  const ready = models.isSuccess && !models.isFetching;
  const loading = !manifest.data || (canGenerate && (models.isPending || models.isFetching));

  const error = models.error ?? manifest.error;
  const words = error ? userMessage(error) : undefined;
  return (
    <PageLayout
      title="Generate"
      className="generate"
      intro="Synthetic chest X-rays, made on this machine. The same seed and settings give the same image again on the same backend (WASM); WebGPU can differ in the last bits."
      controls={
        manifest.data && canGenerate ? (
          <>
            <GenerateForm manifest={manifest.data} ready={ready} />
            <Panel title="Batch job">
              <GenerateBatchJob manifest={manifest.data} />
            </Panel>
          </>
        ) : undefined
      }
    >
      <div className="generator-status">
        <Group gap="xs" wrap="nowrap">
          {loading && !error && <Loader size="xs" />}
          <Text size="sm" fw={500} data-testid="generator-state">
            {!manifest.data ? 'Loading model description…' : !canGenerate ? `${manifest.data.name} has no generator` : models.isPending || models.isFetching ? 'Loading generator…' : models.isSuccess ? 'Generator ready' : ''}
          </Text>
        </Group>
        {models.data && (
          <Text size="xs" c="dimmed" data-testid="generator-engine">
            {models.data.engine}
            {models.data.notes.length > 0 && <> — {models.data.notes.join('; ')}</>}
          </Text>
        )}
      </div>
      {words && (
        <Alert color="red" title={words.title} role="alert" data-testid="generator-error">
          {words.detail}
        </Alert>
      )}
      <ProgressPanel />
      {manifest.data && canGenerate && <InterruptedBatch manifest={manifest.data} ready={ready} />}
      <Gallery
        tryExample={
          manifest.data && canGenerate && <TryExampleButton what="One image from an example prompt and the bundle's example lung mask, at its fast settings" disabled={!ready} load={() => generateExample(manifest.data!)} />
        }
      />
    </PageLayout>
  );
}
