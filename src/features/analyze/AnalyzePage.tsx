import { useEffect } from 'react';
import { userMessage } from '../../core/errors.ts';
import { exampleWithMask } from '../examples/exampleSet.ts';
import { TryExampleButton } from '../examples/TryExampleButton.tsx';
import { useAnalysisModels } from '../models/queries.ts';
import { analyzeOpenImage, cancelAnalysis, openGroundTruth, openImage } from './actions.ts';
import { useAnalyze } from './analyzeStore.ts';
import { ImageViewer } from './ImageViewer.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { ViewControls } from './ViewControls.tsx';

/** Hand the chosen file on and clear the input, so choosing the same file again opens it again. */
function pick(event: React.ChangeEvent<HTMLInputElement>, open: (file: File) => Promise<void>): void {
  const file = event.target.files?.[0];
  event.target.value = '';
  if (file) void open(file);
}

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
  return (
    <section className="analyze">
      <h2>Analyze</h2>
      <div className="toolbar">
        <label className="file">
          Open X-ray
          <input type="file" aria-label="Open X-ray" accept=".png,.jpg,.jpeg,.dcm,image/png,image/jpeg,application/dicom" onChange={(e) => pick(e, openImage)} />
        </label>
        {hasResult && (
          <label className="file">
            Compare with ground-truth mask
            <input type="file" aria-label="Ground-truth mask" accept=".png,image/png" onChange={(e) => pick(e, openGroundTruth)} />
          </label>
        )}
        <TryExampleButton load={openExample} what="An example X-ray with its lung mask" />
        <span data-testid="models-state">{models.isPending ? 'Loading models…' : models.isSuccess ? 'Models ready' : ''}</span>
      </div>
      {modelError && (
        <p role="alert" className="error" data-testid="model-error">
          {modelError.title} <small>{modelError.detail}</small>
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="analyze-error">
          {error.title} <small>{error.detail}</small>
        </p>
      )}
      {stage && stage !== 'done' && (
        <p data-testid="stage">
          {STAGE_WORDS[stage]} <progress />{' '}
          {stage !== 'decode' && (
            <button type="button" onClick={cancelAnalysis}>
              Cancel
            </button>
          )}
        </p>
      )}
      {fileName && <p className="filename">{fileName}</p>}
      <div className="workspace">
        <ImageViewer />
        <div className="side">
          <ViewControls />
          <ResultsPanel />
        </div>
      </div>
    </section>
  );
}
