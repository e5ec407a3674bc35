import type { ModelComparison } from '../../core/evaluation/comparison.ts';
import type { Interval } from '../../core/metrics/bootstrap.ts';
import { fixed, interval } from './format.ts';

const row = (name: string, n: number, d: Interval) => (
  <tr key={name}><td>{name}</td><td>{n}</td><td>{fixed(d.estimate)}</td><td>{interval(d)}</td><td>{d.low > 0 || d.high < 0 ? 'yes' : 'no'}</td></tr>
);

/** Two runs on the same images: A - B per headline number with a paired 95% bootstrap interval. */
export function ComparisonPanel({ comparison }: { comparison: ModelComparison }) {
  const { classification: c, segmentation: s } = comparison;
  return (
    <section className="panel" aria-label="Comparison" data-testid="comparison">
      <h3>{comparison.a} minus {comparison.b}</h3>
      {!c && !s ? (
        <p>The two runs share no scored images.</p>
      ) : (
        <table>
          <thead><tr><th>metric</th><th>paired images</th><th>difference</th><th>95% CI</th><th>CI excludes 0</th></tr></thead>
          <tbody>
            {c && row('accuracy', c.n, c.accuracy)}
            {c && row('macro F1', c.n, c.macroF1)}
            {s && row('mean Dice', s.n, s.meanDice)}
          </tbody>
        </table>
      )}
    </section>
  );
}
