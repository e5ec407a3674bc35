import { cancelExperiment, computeDiversity, computeFid, loadRealSet, runBrowserExperiment } from './experimentActions.ts';
import { useExperiment, type ExperimentTask } from './experimentStore.ts';
import { ExperimentPlot, ExperimentTable } from './ExperimentPlot.tsx';
import { SegExperimentPanel } from './SegExperimentPanel.tsx';
import { useSegExperiment } from './segExperimentStore.ts';

/** Quality of the synthetic set against a real one, and the augmentation experiment (classification or segmentation) in a worker. */
export function ExperimentPanel({ modelsReady }: { modelsReady: boolean }) {
  const s = useExperiment();
  const segBusy = useSegExperiment((seg) => Boolean(seg.progress || seg.loading));
  return (
    <section className="panel" aria-labelledby="experiment-heading">
      <h2 id="experiment-heading">Quality and augmentation experiment</h2>
      <p>
        <button type="button" onClick={() => void computeDiversity()} disabled={Boolean(s.busy)}>Diversity per prompt (MS-SSIM)</button>
      </p>
      {s.diversity && (
        <table data-testid="diversity">
          <thead><tr><th>Prompt</th><th>images</th><th>mean pairwise MS-SSIM (lower = more diverse)</th></tr></thead>
          <tbody>{s.diversity.map((d) => <tr key={d.key}><td>{d.key}</td><td>{d.images}</td><td>{d.meanMsSsim.toFixed(3)}</td></tr>)}</tbody>
        </table>
      )}
      <label>
        Task{' '}
        <select value={s.task} onChange={(e) => s.patch({ task: e.target.value as ExperimentTask })} disabled={Boolean(s.busy || s.loading || segBusy)}>
          <option value="classification">classification (the classifier's features)</option>
          <option value="segmentation">segmentation (the segmenter's lung masks)</option>
        </select>
      </label>
      {s.task === 'segmentation' ? <SegExperimentPanel modelsReady={modelsReady} /> : <ClassificationExperiment modelsReady={modelsReady} />}
    </section>
  );
}

/** The classification arm: classifier features of a real set, FID, and the logistic head on features. */
function ClassificationExperiment({ modelsReady }: { modelsReady: boolean }) {
  const s = useExperiment();
  return (
    <>
      <p>This fits a logistic head on the bundle&apos;s own frozen classifier features, so it shows whether the kept images move that head; no end-to-end gain can appear here (the features already learnt the real data). The end-to-end experiment is issue 22: RESULTS.md in the repository.</p>
      <label>
        Real set (a folder with labels.csv: file, label, split = train/test){' '}
        <input type="file" disabled={!modelsReady || Boolean(s.loading)} {...{ webkitdirectory: '' }} onChange={(e) => e.target.files && void loadRealSet(e.target.files)} />
      </label>{' '}
      <label>
        or the same as one zip{' '}
        <input type="file" accept=".zip" data-testid="real-set-zip" disabled={!modelsReady || Boolean(s.loading)} onChange={(e) => e.target.files && void loadRealSet(e.target.files)} />
      </label>
      {s.loading && <p><progress value={s.loading.done} max={s.loading.total} /> features {s.loading.done} of {s.loading.total}</p>}
      {s.realSet && (
        <p>
          {s.realSet.name}: classes {s.realSet.classes.join(', ')}; {s.realSet.train.labels.length} training and {s.realSet.test.labels.length} test images.{' '}
          <button type="button" onClick={() => void computeFid()} disabled={Boolean(s.busy)}>FID of the kept synthetic images vs this set</button>
          {s.fid !== undefined && <> FID {s.fid.toFixed(2)} (classifier features)</>}
        </p>
      )}
      <div className="curate-thresholds">
        <label>Real training sizes <input value={s.sizes} onChange={(e) => s.patch({ sizes: e.target.value })} /></label>
        <label>Synthetic ratios <input value={s.ratios} onChange={(e) => s.patch({ ratios: e.target.value })} /></label>
        <label>Seed <input type="number" value={s.seed} onChange={(e) => s.patch({ seed: Number(e.target.value) })} /></label>
        <label>C (inverse L2) <input type="number" step={0.1} value={s.C} onChange={(e) => s.patch({ C: Number(e.target.value) })} /></label>
        <label>Bootstrap iterations <input type="number" value={s.bootstrap} onChange={(e) => s.patch({ bootstrap: Number(e.target.value) })} /></label>
      </div>
      <p>
        {s.busy === 'experiment' ? (
          <>
            <progress value={s.progress?.done ?? 0} max={s.progress?.total ?? 1} /> {s.progress?.done ?? 0} of {s.progress?.total} runs{' '}
            <button type="button" onClick={cancelExperiment}>Cancel</button>
          </>
        ) : (
          <button type="button" onClick={() => void runBrowserExperiment()} disabled={!s.realSet || Boolean(s.busy)}>Run the experiment</button>
        )}
      </p>
      {s.rows && (
        <>
          <p>{s.syntheticUsed} kept synthetic image{s.syntheticUsed === 1 ? '' : 's'} with a class of the real set were available; a ratio asks for ratio × size of them, capped at that.</p>
          <ExperimentPlot points={s.rows.map((r) => ({ ...r, score: r.f1 }))} metric="F1" />
          <ExperimentTable rows={s.rows} score={(r) => r.f1} metric="F1" testId="experiment-rows" />
        </>
      )}
    </>
  );
}
