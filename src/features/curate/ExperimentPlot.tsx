import type { ExperimentRow } from '../../core/curation/augmentExperiment.ts';

const COLOURS = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1', '#b7791f'];

/** Test F1 with its 95% CI against the synthetic ratio, one line per real training-set size. */
export function ExperimentPlot({ rows }: { rows: readonly ExperimentRow[] }) {
  const ratios = [...new Set(rows.map((r) => r.ratio))].sort((a, b) => a - b);
  const sizes = [...new Set(rows.map((r) => r.size))];
  const W = 360;
  const H = 200;
  const pad = 30;
  const x = (ratio: number) => pad + (ratios.length > 1 ? (ratios.indexOf(ratio) / (ratios.length - 1)) * (W - 2 * pad) : (W - 2 * pad) / 2);
  const y = (f1: number) => H - pad - f1 * (H - 2 * pad);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Test F1 against synthetic ratio per training-set size">
      <line x1={pad} x2={pad} y1={pad} y2={H - pad} stroke="#888" />
      <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} stroke="#888" />
      {[0, 0.5, 1].map((v) => <text key={v} x={2} y={y(v) + 3} fontSize={9}>{v}</text>)}
      {ratios.map((r) => <text key={r} x={x(r) - 6} y={H - pad + 12} fontSize={9}>×{r}</text>)}
      {sizes.map((size, k) => {
        const line = rows.filter((r) => r.size === size).sort((a, b) => a.ratio - b.ratio);
        const colour = COLOURS[k % COLOURS.length];
        return (
          <g key={size} stroke={colour} fill={colour}>
            <polyline fill="none" points={line.map((r) => `${x(r.ratio)},${y(r.f1.estimate)}`).join(' ')} />
            {line.map((r) => (
              <g key={r.ratio}>
                <line x1={x(r.ratio) + k * 3} x2={x(r.ratio) + k * 3} y1={y(r.f1.low)} y2={y(r.f1.high)} />
                <circle cx={x(r.ratio)} cy={y(r.f1.estimate)} r={2.5} />
              </g>
            ))}
            <text x={W - pad - 60} y={pad + 12 * k} fontSize={10} stroke="none">{size} real</text>
          </g>
        );
      })}
    </svg>
  );
}
