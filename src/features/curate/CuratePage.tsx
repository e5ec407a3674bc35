import { useEffect, useRef, useState } from 'react';
import { TryExampleButton } from '../examples/TryExampleButton.tsx';
import { curateExampleBatch } from '../examples/tryCurate.ts';
import { useActiveBundleId, useAnalysisModels, useManifest } from '../models/queries.ts';
import { exportKept, exportReviews, importReviews, loadCuration, loadStoredScores } from './actions.ts';
import { useCurate } from './curateStore.ts';
import { exportable } from './curation.ts';
import { ExperimentPanel } from './ExperimentPanel.tsx';
import { FeedbackPanel } from './FeedbackPanel.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import './curate.css';

export function CuratePage() {
  const models = useAnalysisModels();
  const manifest = useManifest(useActiveBundleId()).data;
  const entries = useCurate((s) => s.entries);
  const reviewer = useCurate((s) => s.reviewer);
  const setReviewer = useCurate((s) => s.setReviewer);
  const message = useCurate((s) => s.message);
  const keptCount = useCurate((s) => exportable(s.entries, s.scores, s.thresholds, s.reviews).length);
  const importInput = useRef<HTMLInputElement>(null);
  const [anonymise, setAnonymise] = useState(false);
  const bundle = models.data?.find((m) => m.role === 'classifier')?.source;
  const entryCount = entries.length;
  useEffect(() => void loadCuration(), []);
  useEffect(() => {
    if (bundle && entryCount) void loadStoredScores(bundle);
  }, [bundle, entryCount]);
  const order = entries.map((e) => e.id);

  return (
    <div className="curate-page">
      <p className="note">
        {entryCount === 0 && 'Curate filters and reviews generated images, and there are none yet: make some on Generate, or '}
        <TryExampleButton load={() => curateExampleBatch(manifest!, bundle!)} disabled={!manifest?.diffusion || !bundle} what="Generate 4 example images (the bundle's fast settings) and score them with the proxy model" />
      </p>
      <FilterPanel bundle={models.isSuccess ? bundle : undefined} />
      <section className="panel" aria-labelledby="review-heading">
        <h2 id="review-heading">Review</h2>
        <label>
          Reviewer name <input value={reviewer} onChange={(e) => setReviewer(e.target.value)} placeholder="e.g. Dr. A. Radiologist" />
        </label>{' '}
        <button type="button" onClick={exportReviews}>Export reviews (JSON)</button>{' '}
        <button type="button" onClick={() => importInput.current?.click()}>Import reviews (JSON)</button>
        <input ref={importInput} type="file" accept="application/json,.json" hidden aria-label="Reviews file" onChange={(e) => e.target.files?.[0] && void importReviews(e.target.files[0])} />
        {message && <p role="status">{message}</p>}
      </section>
      <ReviewPanel order={order} />
      <section className="panel" aria-labelledby="export-heading">
        <h2 id="export-heading">Export</h2>
        <p>
          {keptCount} image{keptCount === 1 ? '' : 's'} kept by the proxy filter and not rejected by a reviewer.{' '}
          <label><input type="checkbox" checked={anonymise} onChange={(e) => setAnonymise(e.target.checked)} /> Anonymise file names</label>{' '}
          <button type="button" onClick={() => void exportKept(anonymise)} disabled={keptCount === 0}>Export kept images (zip)</button>
          {anonymise && <span className="note"> The name key (mask pseudonym to your file name) downloads as its own file: keep it private.</span>}
        </p>
      </section>
      <ul className="curate-grid" aria-label="Generated images">
        {entries.map((entry) => <Thumbnail key={entry.id} entry={entry} />)}
      </ul>
      <FeedbackPanel />
      <ExperimentPanel modelsReady={models.isSuccess} />
    </div>
  );
}
