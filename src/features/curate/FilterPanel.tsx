import { adherenceByGroup } from '../../core/curation/adherence.ts';
import { countKept } from '../../core/curation/proxyFilter.ts';
import { scoreGallery, stopScoring } from './actions.ts';
import { useCurate } from './curateStore.ts';
import { proxyVerdict } from './curation.ts';
import { Histogram } from './Histogram.tsx';

/** `bundle`: the id of the bundle whose models are loaded, once they are. */
export function FilterPanel({ bundle }: { bundle: string | undefined }) {
  const modelsReady = bundle !== undefined;
  const entries = useCurate((s) => s.entries);
  const scores = useCurate((s) => s.scores);
  const scoring = useCurate((s) => s.scoring);
  const thresholds = useCurate((s) => s.thresholds);
  const setThresholds = useCurate((s) => s.setThresholds);
  const unscored = entries.filter((e) => !scores[e.id]).length;
  const scored = entries.filter((e) => scores[e.id]);
  const counts = countKept(scored, (e) => e.provenance.prompt, (e) => proxyVerdict(scores[e.id], thresholds) === 'kept');
  const verdictOf = (id: string) => proxyVerdict(scores[id], thresholds) === 'kept';
  const probabilities = scored.flatMap((e) => (scores[e.id].findingProbability === null ? [] : [{ value: scores[e.id].findingProbability!, kept: verdictOf(e.id) }]));
  const adherence = scored.length ? adherenceByGroup(scored, (e) => e.provenance.prompt, (e) => scores[e.id]) : [];
  const dices = scored.flatMap((e) => (scores[e.id].maskDice === null ? [] : [{ value: scores[e.id].maskDice!, kept: verdictOf(e.id) }]));

  return (
    <section className="panel" aria-labelledby="filter-heading">
      <h2 id="filter-heading">Proxy filter</h2>
      <p>
        {entries.length} generated image{entries.length === 1 ? '' : 's'} in the gallery; {unscored} not scored yet.{' '}
        {scoring ? (
          <>
            <progress value={scoring.done} max={scoring.total} /> scoring {scoring.done + 1} of {scoring.total}{' '}
            <button type="button" onClick={stopScoring}>Stop</button>
          </>
        ) : (
          <button type="button" onClick={() => void scoreGallery(bundle!)} disabled={!modelsReady || unscored === 0}>
            {modelsReady ? 'Score with the proxy model' : 'Loading the classifier and segmenter…'}
          </button>
        )}
      </p>
      <div className="curate-thresholds">
        <label>
          Min. probability of the prompted finding
          <input type="number" min={0} max={1} step={0.05} value={thresholds.minFindingProbability} onChange={(e) => setThresholds({ minFindingProbability: Number(e.target.value) })} />
        </label>
        <label>
          Min. mask Dice (mask-conditioned images)
          <input type="number" min={0} max={1} step={0.05} value={thresholds.minMaskDice} onChange={(e) => setThresholds({ minMaskDice: Number(e.target.value) })} />
        </label>
      </div>
      <div className="curate-plots">
        <Histogram label="Probability of the prompted finding" values={probabilities} threshold={thresholds.minFindingProbability} />
        <Histogram label="Dice: conditioning mask vs segmenter" values={dices} threshold={thresholds.minMaskDice} />
      </div>
      <table data-testid="kept-per-prompt">
        <thead>
          <tr><th>Prompt</th><th>Kept</th><th>Rejected</th></tr>
        </thead>
        <tbody>
          {counts.map((c) => (
            <tr key={c.group}><td>{c.group}</td><td>{c.kept}</td><td>{c.rejected}</td></tr>
          ))}
        </tbody>
      </table>
      <table data-testid="adherence">
        <caption>Adherence of every scored image (kept or not): prompt = classifier's top class is the prompted finding; mask = mean Dice of the conditioning mask and the segmenter</caption>
        <thead>
          <tr><th>Prompt</th><th>Images</th><th>Prompt adherence</th><th>Mean p(finding)</th><th>Mask adherence</th></tr>
        </thead>
        <tbody>
          {adherence.map((r) => (
            <tr key={r.group} data-group={r.group}>
              <td>{r.group}</td><td>{r.images}</td>
              <td>{r.promptAdherence === null ? '—' : `${r.promptAdherence.toFixed(3)} (${r.withFinding})`}</td>
              <td>{r.meanFindingProbability?.toFixed(3) ?? '—'}</td>
              <td>{r.maskAdherence === null ? '—' : `${r.maskAdherence.toFixed(3)} (${r.withMask})`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
