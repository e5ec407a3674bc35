import type { ClassificationSummary } from '../../core/evaluation/classificationSummary.ts';
import { RocPrPlots } from './RocPrPlots.tsx';
import { fixed, interval } from './format.ts';

/** Confusion matrix, per-class table, averages with 95% CIs, ROC and PR curves. */
export function ClassificationResults({ c, threshold }: { c: ClassificationSummary; threshold: number }) {
  // the matrix and table show every class seen in truth or predictions (a prediction into an absent class is a mistake to see)
  const seen = (k: number) => c.perClass[k].support > 0 || c.perClass[k].predicted > 0;
  const shown = c.classes.map((name, k) => ({ name, k })).filter(({ k }) => seen(k));
  return (
    <section className="panel" aria-label="Classification" data-testid="classification-results">
      <h3>Classification (n = {c.n})</h3>
      <p>
        accuracy <b data-testid="eval-accuracy">{fixed(c.accuracy)}</b> {interval(c.ci.accuracy)} · macro F1 <b data-testid="eval-macro-f1">{fixed(c.macro.f1)}</b> {interval(c.ci.macroF1)} · micro F1 {fixed(c.micro.f1)} · weighted F1 {fixed(c.weighted.f1)} · macro AUC <b data-testid="eval-auc">{fixed(c.aucMacro)}</b> {interval(c.ci.aucMacro)}
      </p>
      <p className="note">Predicted class = highest probability. Macro averages over the classes with examples in this set ({c.averagedOver.join(', ')}){c.notAveraged?.length ? `; not averaged, no examples: ${c.notAveraged.join(', ')}` : ''}. Intervals: 95% bootstrap.</p>
      <table data-testid="confusion">
        <caption>Confusion matrix (rows: truth, columns: predicted)</caption>
        <thead><tr><th />{shown.map(({ name }) => <th key={name}>{name}</th>)}</tr></thead>
        <tbody>{shown.map(({ name, k }) => <tr key={name}><th>{name}</th>{shown.map(({ k: p }) => <td key={p}>{c.confusion[k][p]}</td>)}</tr>)}</tbody>
      </table>
      <table data-testid="per-class">
        <thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>AUC</th><th>AP</th><th>F1 at p ≥ {threshold}</th></tr></thead>
        <tbody>
          {c.perClass.filter((_, k) => seen(k)).map((k) => (
            <tr key={k.class} data-class={k.class}>
              <td>{k.class}</td><td>{fixed(k.precision)}</td><td>{fixed(k.recall)}</td><td>{fixed(k.f1)}</td><td>{k.support}</td><td>{fixed(k.auc)}</td><td>{fixed(k.averagePrecision)}</td><td>{fixed(k.atThreshold.f1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RocPrPlots curves={c.curves} of="(one vs rest)" />
    </section>
  );
}
