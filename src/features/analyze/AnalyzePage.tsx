import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { useEffect } from 'react';
import { userMessage } from '../../core/errors.ts';
import { DropZone } from '../../ui/DropZone.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { PageLayout, Panel } from '../../ui/PageLayout.tsx';
import { exampleWithMask } from '../examples/exampleSet.ts';
import { TryExampleButton } from '../examples/TryExampleButton.tsx';
import { useAnalysisModels } from '../models/queries.ts';
import { analyzeOpenImage, cancelAnalysis, openGroundTruth, openImage } from './actions.ts';
import { useAnalyze } from './analyzeStore.ts';
import { ImageViewer } from './ImageViewer.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { ViewControls } from './ViewControls.tsx';
import './analyze.css';

const X_RAY_TYPES = '.png,.jpg,.jpeg,.dcm,image/png,image/jpeg,application/dicom';

const lastRun: { image?: unknown; modelsAt?: number } = {};

/** An example X-ray with its ground-truth lung mask: analyzed as soon as the models are ready, Dice shown. */
async function openExample(): Promise<void> {
  const { image, mask } = await exampleWithMask();
  await openImage(image);
  await openGroundTruth(mask);
}

const STAGE_WORDS = { decode: 'Reading image…', preprocess: 'Preparing…', segment: 'Segmenting lungs…', classify: 'Classifying…', done: 'Done' };

export function AnalyzePage() {
  const models = useAnalysisModels();
  const image = useAnalyze((s) => s.image);
  const fileName = useAnalyze((s) => s.fileName);
  const stage = useAnalyze((s) => s.stage);
  const error = useAnalyze((s) => s.error);
  const hasResult = useAnalyze((s) => Boolean(s.result));

  // Analyze each newly opened image once the models are ready, and again after a model change,
  // but not on every visit to the page.
  useEffect(() => {
    if (!image || !models.isSuccess || useAnalyze.getState().cancelledImage === image) return;
    if (lastRun.image === image && lastRun.modelsAt === models.dataUpdatedAt) return;
    Object.assign(lastRun, { image, modelsAt: models.dataUpdatedAt });
    void analyzeOpenImage();
  }, [image, models.isSuccess, models.dataUpdatedAt]);

  const modelError = models.error ? userMessage(models.error) : undefined;
  const tryExample = <TryExampleButton load={openExample} what="An example X-ray with its lung mask" />;
  const controls = (
    <>
      <Panel title="Image">
        <DropZone label="Drop a chest X-ray here" onDrop={(dropped) => dropped[0] && void openImage(dropped[0].file)}>
          <FilePicker inputLabel="Open X-ray" accept={X_RAY_TYPES} variant="filled" onFiles={([file]) => void openImage(file)}>
            Open X-ray…
          </FilePicker>
          <Text size="xs" c="dimmed">
            PNG, JPEG or DICOM; or drop the file here. It is read on this computer and never uploaded.
          </Text>
        </DropZone>
        {hasResult && (
          <div className="analyze-ground-truth">
            <FilePicker inputLabel="Ground-truth mask" accept=".png,image/png" onFiles={([file]) => void openGroundTruth(file)}>
              Compare with a ground-truth mask…
            </FilePicker>
          </div>
        )}
        {image && <div className="analyze-example">{tryExample}</div>}
        <Group gap="xs" className="analyze-models" data-state={models.isSuccess ? 'ready' : models.isPending ? 'loading' : 'failed'}>
          {models.isPending && <Loader size="xs" />}
          <Text size="sm" c={models.isSuccess ? 'dimmed' : undefined} data-testid="models-state">
            {models.isPending ? 'Loading models…' : models.isSuccess ? 'Models ready' : ''}
          </Text>
        </Group>
      </Panel>
      {modelError && (
        <Alert color="red" title={modelError.title} data-testid="model-error">
          {modelError.detail}
        </Alert>
      )}
      {stage && stage !== 'done' && (
        <Group gap="xs" data-testid="stage">
          <Loader size="xs" />
          <Text size="sm">{STAGE_WORDS[stage]}</Text>
          {stage !== 'decode' && (
            <Button size="xs" variant="default" onClick={cancelAnalysis}>
              Cancel
            </Button>
          )}
        </Group>
      )}
      {error && (
        <Alert color="red" title={error.title} data-testid="analyze-error">
          {error.detail}
        </Alert>
      )}
      <ViewControls />
      <ResultsPanel />
    </>
  );
  return (
    <PageLayout title="Analyze" intro="A chest X-ray's lung mask and the classifier's findings, computed in this browser." controls={controls}>
      {image ? (
        <figure className="analyze-figure">
          <div className="image-stage analyze-stage">
            <ImageViewer />
          </div>
          {fileName && (
            <Text component="figcaption" size="sm" c="dimmed" className="filename">
              {fileName}
            </Text>
          )}
        </figure>
      ) : (
        <div className="analyze-empty">
          <EmptyState title="The X-ray appears here, with its lung mask over it" action={tryExample}>
          Open a chest X-ray (PNG, JPEG or DICOM) or drop one on the Image panel; the lung mask and the findings follow as soon as the models are ready. No X-ray at hand? Try the bundled example.
          </EmptyState>
        </div>
      )}
    </PageLayout>
  );
}
