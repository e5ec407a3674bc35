/** Where a series sits in the palette: `series-0` … `series-4` in evaluate.css, the same in plots and legends. */
export const seriesClass = (index: number) => `series-${index % 5}`;

const SIZE = 280;
const LEFT = 44;
const BOTTOM = 40;
const TOP = 10;
const RIGHT = 12;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/**
 * A line plot on [0,1]x[0,1], one polyline per series (ROC or PR curves). Axes, ticks and
 * words are drawn in currentColor and the series through CSS classes, so it reads in light
 * and dark. `diagonal` draws the chance line of an ROC plot.
 */
export function CurvePlot({ title, xLabel, yLabel, series, diagonal }: { title: string; xLabel: string; yLabel: string; series: Array<{ name: string; x: number[]; y: number[] }>; diagonal?: boolean }) {
  const px = (v: number) => LEFT + v * (SIZE - LEFT - RIGHT);
  const py = (v: number) => SIZE - BOTTOM - v * (SIZE - BOTTOM - TOP);
  return (
    <figure className="plot">
      <figcaption className="plot-title">{title}</figcaption>
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={title} className="plot-svg">
        {TICKS.map((t) => (
          <g key={t} className="plot-grid">
            <line x1={px(t)} x2={px(t)} y1={py(0)} y2={py(1)} />
            <line x1={px(0)} x2={px(1)} y1={py(t)} y2={py(t)} />
          </g>
        ))}
        {diagonal && <line className="plot-chance" x1={px(0)} y1={py(0)} x2={px(1)} y2={py(1)} />}
        <rect className="plot-frame" x={px(0)} y={py(1)} width={px(1) - px(0)} height={py(0) - py(1)} />
        {series.map((s, i) => (
          <polyline key={s.name} className={`plot-line ${seriesClass(i)}`} points={s.x.map((x, k) => `${px(x).toFixed(1)},${py(s.y[k]).toFixed(1)}`).join(' ')} />
        ))}
        {[0, 0.5, 1].map((t) => (
          <g key={t} className="plot-text">
            <text x={px(t)} y={py(0) + 15} textAnchor="middle">{t}</text>
            <text x={px(0) - 6} y={py(t) + 4} textAnchor="end">{t}</text>
          </g>
        ))}
        <text className="plot-text plot-axis-label" x={(px(0) + px(1)) / 2} y={SIZE - 6} textAnchor="middle">{xLabel}</text>
        <text className="plot-text plot-axis-label" x={12} y={(py(0) + py(1)) / 2} textAnchor="middle" transform={`rotate(-90 12 ${(py(0) + py(1)) / 2})`}>{yLabel}</text>
      </svg>
    </figure>
  );
}
