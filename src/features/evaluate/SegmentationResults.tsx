import type { CaseResult } from '../../core/evaluation/caseResult.ts';
import type { SegmentationSummary } from '../../core/evaluation/segmentationSummary.ts';
import { fixed, interval } from './format.ts';

/** Dice mean/median/IoU with 95% CIs, a histogram, and the per-image table (worst first; click to view). */
export function SegmentationResults({ s, channel, emptyRule, cases, onView }: { s: SegmentationSummary; channel?: string; emptyRule: string; cases: CaseResult[]; onView: (stem: string) => void }) {
  const max = Math.max(1, ...s.histogram.counts);
  const scored = cases.filter((c) => typeof c.dice === 'number').sort((a, b) => (a.dice as number) - (b.dice as number));
  return (
    <section className="panel" aria-label="Segmentation" data-testid="segmentation-results">
      <h3>Segmentation (n = {s.n}{s.skippedEmpty ? `, ${s.skippedEmpty} empty ground truth skipped` : ''})</h3>
      <p>
        mean Dice <b data-testid="eval-mean-dice">{fixed(s.meanDice)}</b> {interval(s.ci.meanDice)} · median <b data-testid="eval-median-dice">{fixed(s.medianDice)}</b> · mean IoU <b data-testid="eval-mean-iou">{fixed(s.meanIou)}</b> {interval(s.ci.meanIou)}
        {s.hd95 && <> · HD95 mean <b data-testid="eval-hd95">{fixed(s.hd95.mean)}</b> px {interval(s.ci.meanHd95)}, median {fixed(s.hd95.median)} px (n = {s.hd95.n})</>}
      </p>
      <p className="note">Channel {channel ?? '(first)'}; empty ground truth: {emptyRule === 'ignore-empty' ? 'skipped' : 'both empty = 1'}.</p>
      <svg width={20 * 14} height={90} role="img" aria-label="Dice histogram">
        {s.histogram.counts.map((n, i) => <rect key={i} x={i * 14} y={80 - (70 * n) / max} width={12} height={(70 * n) / max} fill="#2b6cb0"><title>{`${s.histogram.edges[i].toFixed(2)}–${s.histogram.edges[i + 1].toFixed(2)}: ${n}`}</title></rect>)}
        <text x={0} y={90} fontSize={9}>0</text><text x={20 * 14 - 8} y={90} fontSize={9}>1</text>
      </svg>
      <details>
        <summary>Dice per image (worst first)</summary>
        <table data-testid="dice-table">
          <thead><tr><th>image</th><th>Dice</th><th>IoU</th>{s.hd95 && <th>HD95 px</th>}</tr></thead>
          <tbody>{scored.map((c) => <tr key={c.stem}><td><button type="button" className="link" onClick={() => onView(c.stem)}>{c.stem}</button></td><td>{fixed(c.dice)}</td><td>{fixed(c.iou)}</td>{s.hd95 && <td>{fixed(c.hd95)}</td>}</tr>)}</tbody>
        </table>
      </details>
    </section>
  );
}
