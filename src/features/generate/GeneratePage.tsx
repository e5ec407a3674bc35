import './generate.css';
import { useEffect } from 'react';
import { userMessage } from '../../core/errors.ts';
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

  const error = models.error ?? manifest.error;
  const words = error ? userMessage(error) : undefined;
  return (
    <section className="generate">
      <h2>Generate</h2>
      <p className="note">
        Synthetic images, made on this machine. The same seed and settings give the same image again on the same
        backend (WASM); WebGPU can differ in the last bits.
      </p>
      <span data-testid="generator-state">
        {!manifest.data ? 'Loading model description…' : !canGenerate ? `${manifest.data.name} has no generator` : models.isPending || models.isFetching ? 'Loading generator…' : models.isSuccess ? 'Generator ready' : ''}
      </span>
      {models.data && (
        <p className="note" data-testid="generator-engine">
          {models.data.engine}
          {models.data.notes.length > 0 && <> — {models.data.notes.join('; ')}</>}
        </p>
      )}
      {words && (
        <p role="alert" className="error" data-testid="generator-error">
          {words.title} <small>{words.detail}</small>
        </p>
      )}
      {manifest.data && canGenerate && (
        <div className="workspace">
          <GenerateForm manifest={manifest.data} ready={ready} />
          <ProgressPanel />
          <InterruptedBatch manifest={manifest.data} ready={ready} />
        </div>
      )}
      <Gallery />
    </section>
  );
}
