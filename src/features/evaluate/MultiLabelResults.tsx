import type { MultiLabelSummary } from '../../core/evaluation/multiLabelSummary.ts';
import { RocPrPlots } from './RocPrPlots.tsx';
import { fixed, interval } from './format.ts';

/** Multi-label: per-label table and the four averages with 95% CIs, ROC and PR per label. */
export function MultiLabelResults({ m }: { m: MultiLabelSummary }) {
  return (
    <section className="panel" aria-label="Multi-label classification" data-testid="multi-label-results">
      <h3>Multi-label classification (n = {m.n}, predicted = p ≥ {m.threshold})</h3>
      <p>
        micro F1 <b data-testid="eval-micro-f1">{fixed(m.micro.f1)}</b> {interval(m.ci.microF1)} · macro F1 <b data-testid="eval-macro-f1">{fixed(m.macro.f1)}</b> {interval(m.ci.macroF1)} · samples F1 {fixed(m.samples.f1)} {interval(m.ci.samplesF1)} · weighted F1 {fixed(m.weighted.f1)} · exact sets <b data-testid="eval-subset-accuracy">{fixed(m.subsetAccuracy)}</b> {interval(m.ci.subsetAccuracy)} · macro AUC <b data-testid="eval-auc">{fixed(m.aucMacro)}</b> {interval(m.ci.aucMacro)}
      </p>
      <p className="note">Every class with probability ≥ {m.threshold} is predicted (the threshold is yours; nothing is tuned on this set). Macro average over the labels with positives in this set ({m.averagedOver.join(', ')}){m.notAveraged?.length ? `; not averaged: ${m.notAveraged.join(', ')}` : ''}; micro over every label seen; AUC over labels with positives and negatives. Intervals: 95% bootstrap over images.</p>
      <table data-testid="per-label">
        <thead><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>predicted</th><th>AUC</th><th>AP</th></tr></thead>
        <tbody>
          {m.perLabel.filter((k) => m.averagedOver.includes(k.class)).map((k) => (
            <tr key={k.class} data-class={k.class}>
              <td>{k.class}</td><td>{fixed(k.precision)}</td><td>{fixed(k.recall)}</td><td>{fixed(k.f1)}</td><td>{k.support}</td><td>{k.predicted}</td><td>{fixed(k.auc)}</td><td>{fixed(k.averagePrecision)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RocPrPlots curves={m.curves} of="per label" />
    </section>
  );
}
