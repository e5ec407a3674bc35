import { acceptanceBy } from '../../core/curation/acceptance.ts';
import { proxyReviewerAgreement } from '../../core/curation/agreement.ts';
import { latestReviewPerImage } from '../../core/curation/review.ts';
import { SETTING_GROUPS, settingKey } from '../../core/curation/settingGroups.ts';
import { suggestThreshold } from '../../core/curation/suggestThreshold.ts';
import { useCurate } from './curateStore.ts';
import { proxyVerdict } from './curation.ts';

function percent(value: number): string {
  return Number.isNaN(value) ? '–' : `${(100 * value).toFixed(0)}%`;
}

/** What the reviews say: acceptance per prompt and setting, agreement with the proxy, thresholds that match the reviewer. */
export function FeedbackPanel() {
  const entries = useCurate((s) => s.entries);
  const scores = useCurate((s) => s.scores);
  const thresholds = useCurate((s) => s.thresholds);
  const reviews = useCurate((s) => s.reviews);
  const setThresholds = useCurate((s) => s.setThresholds);
  const latest = latestReviewPerImage(reviews);
  const reviewed = entries.filter((e) => latest.has(e.id));
  if (reviewed.length === 0) return <section className="panel"><h2>Feedback</h2><p>No reviews yet: open an image to review it.</p></section>;

  const scoredReviewed = reviewed.filter((e) => scores[e.id]);
  const accepted = (id: string) => latest.get(id)!.decision === 'accept';
  const agreement = scoredReviewed.length ? proxyReviewerAgreement(scoredReviewed.map((e) => proxyVerdict(scores[e.id], thresholds) === 'kept'), scoredReviewed.map((e) => accepted(e.id))) : undefined;
  const withProbability = scoredReviewed.filter((e) => scores[e.id].findingProbability !== null);
  const withDice = scoredReviewed.filter((e) => scores[e.id].maskDice !== null);
  const probabilitySuggestion = suggestThreshold(withProbability.map((e) => scores[e.id].findingProbability!), withProbability.map((e) => accepted(e.id)));
  const diceSuggestion = suggestThreshold(withDice.map((e) => scores[e.id].maskDice!), withDice.map((e) => accepted(e.id)));

  return (
    <section className="panel" aria-labelledby="feedback-heading">
      <h2 id="feedback-heading">Feedback from {reviewed.length} reviewed image{reviewed.length === 1 ? '' : 's'}</h2>
      {SETTING_GROUPS.map((group) => {
        const rows = acceptanceBy(reviewed.map((e) => ({ key: settingKey(e.provenance, group), accepted: accepted(e.id), realism: latest.get(e.id)!.realism })));
        return (
          <table key={group} className="acceptance" data-testid={`acceptance-${group}`}>
            <thead>
              <tr><th>{group}</th><th>reviewed</th><th>accepted</th><th>rate</th><th>mean realism</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}><td>{r.key}</td><td>{r.n}</td><td>{r.accepted}</td><td>{percent(r.rate)}</td><td>{r.meanRealism?.toFixed(2) ?? '–'}</td></tr>
              ))}
            </tbody>
          </table>
        );
      })}
      {agreement && (
        <table data-testid="agreement">
          <caption>Proxy filter vs reviewer ({scoredReviewed.length} scored and reviewed; agreement {percent(agreement.accuracy)}, Cohen's κ {Number.isNaN(agreement.kappa) ? '–' : agreement.kappa.toFixed(2)})</caption>
          <thead>
            <tr><th /><th>proxy rejects</th><th>proxy keeps</th></tr>
          </thead>
          <tbody>
            <tr><th>reviewer rejects</th><td>{agreement.matrix[0][0]}</td><td>{agreement.matrix[0][1]}</td></tr>
            <tr><th>reviewer accepts</th><td>{agreement.matrix[1][0]}</td><td>{agreement.matrix[1][1]}</td></tr>
          </tbody>
        </table>
      )}
      <p>
        Suggested thresholds (best balanced match to the reviewer's accept/reject, Youden's J):{' '}
        {probabilitySuggestion ? (
          <button type="button" onClick={() => setThresholds({ minFindingProbability: probabilitySuggestion.threshold })}>
            probability ≥ {probabilitySuggestion.threshold.toFixed(3)} (agrees on {percent(probabilitySuggestion.agreement)})
          </button>
        ) : 'probability: needs both accepted and rejected reviews'}
        {' · '}
        {diceSuggestion ? (
          <button type="button" onClick={() => setThresholds({ minMaskDice: diceSuggestion.threshold })}>
            Dice ≥ {diceSuggestion.threshold.toFixed(3)} (agrees on {percent(diceSuggestion.agreement)})
          </button>
        ) : 'Dice: needs accepted and rejected mask-conditioned reviews'}
      </p>
    </section>
  );
}
