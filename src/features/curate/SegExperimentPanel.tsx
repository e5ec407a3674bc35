import { useActiveBundleId, useManifest } from '../models/queries.ts';
import { useCurate } from './curateStore.ts';
import { ExperimentPlot, ExperimentTable, formatInterval as ci } from './ExperimentPlot.tsx';
import { cancelSegExperiment, keptSyntheticPairs, loadSegRealSet, runBrowserSegExperiment } from './segExperimentActions.ts';
import { useSegExperiment } from './segExperimentStore.ts';

/** The segmentation arm of the augmentation experiment: a per-pixel head on the frozen segmenter, as `augment-experiment --task segmentation`. */
export function SegExperimentPanel({ modelsReady }: { modelsReady: boolean }) {
  const s = useSegExperiment();
  const manifest = useManifest(useActiveBundleId());
  const channels = (manifest.data?.models.segmenter?.channels ?? []).map((c) => c.name);
  const syntheticCount = useCurate((c) => keptSyntheticPairs(c).length);
  const busy = Boolean(s.progress || s.loading);
  const r = s.result;
  return (
    <>
      <p>This fits a per-pixel head on the bundle&apos;s own frozen segmenter, so it shows whether the kept pairs move that head; no end-to-end gain can appear here (the segmenter already learnt the real masks). The end-to-end experiment is issue 22: RESULTS.md in the repository.</p>
      <label>
        Real set (a folder with labels.csv: file, mask, split = train/test){' '}
        <input type="file" disabled={!modelsReady || busy || channels.length === 0} {...{ webkitdirectory: '' }} onChange={(e) => e.target.files && void loadSegRealSet(e.target.files, channels)} />
      </label>{' '}
      <label>
        or the same as one zip{' '}
        <input type="file" accept=".zip" data-testid="seg-real-set-zip" disabled={!modelsReady || busy || channels.length === 0} onChange={(e) => e.target.files && void loadSegRealSet(e.target.files, channels)} />
      </label>
      {s.loading && <p><progress value={s.loading.done} max={s.loading.total} /> checking pairs {s.loading.done} of {s.loading.total}</p>}
      {s.realSet && (
        <p data-testid="seg-real-set">
          {s.realSet.name}: {s.realSet.train.length} training and {s.realSet.test.length} test (image, mask) pairs.{' '}
          <label>
            Channel{' '}
            <select value={s.channel} onChange={(e) => s.patch({ channel: e.target.value, result: undefined })}>
              {channels.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
        </p>
      )}
      <p data-testid="seg-synthetic-count">
        {syntheticCount === 0
          ? 'No kept synthetic image has a conditioning mask: generate with a mask, score, and keep some.'
          : `${syntheticCount} kept synthetic image${syntheticCount === 1 ? ' has' : 's have'} a conditioning mask; a ratio asks for ratio × size of them, capped at that.`}
      </p>
      <div className="curate-thresholds">
        <label>Real training sizes <input value={s.sizes} onChange={(e) => s.patch({ sizes: e.target.value })} /></label>
        <label>Synthetic ratios <input value={s.ratios} onChange={(e) => s.patch({ ratios: e.target.value })} /></label>
        <label>Pixels per image <input type="number" min={1} value={s.pixels} onChange={(e) => s.patch({ pixels: Number(e.target.value) })} /></label>
        <label>Seed <input type="number" value={s.seed} onChange={(e) => s.patch({ seed: Number(e.target.value) })} /></label>
        <label>C (inverse L2) <input type="number" step={0.1} value={s.C} onChange={(e) => s.patch({ C: Number(e.target.value) })} /></label>
        <label>Bootstrap iterations <input type="number" value={s.bootstrap} onChange={(e) => s.patch({ bootstrap: Number(e.target.value) })} /></label>
        <label>Test limit (first N test pairs) <input value={s.testLimit} placeholder="all" onChange={(e) => s.patch({ testLimit: e.target.value })} /></label>
      </div>
      <p>
        {s.progress ? (
          <>
            <progress value={s.progress.done} max={s.progress.total} /> {s.progress.stage === 'segment' ? 'segmenting image' : 'run'} {s.progress.done} of {s.progress.total}{' '}
            <button type="button" onClick={cancelSegExperiment}>Cancel</button>
          </>
        ) : (
          <button type="button" onClick={() => void runBrowserSegExperiment()} disabled={!s.realSet || !s.channel || syntheticCount === 0 || busy}>Run the experiment</button>
        )}
      </p>
      {r && (
        <>
          <p data-testid="seg-frozen" data-frozen={JSON.stringify(r.frozen)}>
            Channel {r.channel}; {r.counts.real} real training, {r.counts.synthetic} of {r.syntheticAvailable} synthetic and {r.counts.test} test pairs segmented.
            Frozen segmenter alone: test Dice {ci(r.frozen)}.
          </p>
          <ExperimentPlot
            points={r.rows.map((row) => ({ ...row, score: row.dice }))}
            metric="Dice"
            floor={Math.floor(Math.min(r.frozen.low, ...r.rows.map((row) => row.dice.low)) * 20) / 20}
            reference={{ label: 'frozen', value: r.frozen.estimate }}
          />
          <ExperimentTable rows={r.rows} score={(row) => row.dice} metric="Dice" testId="seg-experiment-rows" />
        </>
      )}
    </>
  );
}
