const WIDTH = 440;
const HEIGHT = 170;
const LEFT = 36;
const BOTTOM = 38;
const TOP = 10;
const RIGHT = 10;

/** Dice per image in bins over [0, 1]: bars in the primary colour, axes and words in currentColor. */
export function DiceHistogram({ edges, counts }: { edges: number[]; counts: number[] }) {
  const max = Math.max(1, ...counts);
  const x = (v: number) => LEFT + v * (WIDTH - LEFT - RIGHT);
  const y = (n: number) => HEIGHT - BOTTOM - (n / max) * (HEIGHT - BOTTOM - TOP);
  return (
    <figure className="plot plot-wide">
      <figcaption className="plot-title">Dice per image</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Dice histogram" className="plot-svg">
        {[max / 2, max].map((n) => <line key={n} className="plot-grid" x1={x(0)} x2={x(1)} y1={y(n)} y2={y(n)} />)}
        {counts.map((n, i) => (
          <rect key={i} className="histogram-bar" x={x(edges[i]) + 1} y={y(n)} width={Math.max(1, x(edges[i + 1]) - x(edges[i]) - 2)} height={y(0) - y(n)}>
            <title>{`${edges[i].toFixed(2)}–${edges[i + 1].toFixed(2)}: ${n}`}</title>
          </rect>
        ))}
        <line className="plot-axis" x1={x(0)} x2={x(1)} y1={y(0)} y2={y(0)} />
        <g className="plot-text">
          {[0, 0.25, 0.5, 0.75, 1].map((t) => <text key={t} x={x(t)} y={y(0) + 15} textAnchor="middle">{t}</text>)}
          {[0, max].map((n) => <text key={n} x={x(0) - 6} y={y(n) + 4} textAnchor="end">{n}</text>)}
        </g>
        <text className="plot-text plot-axis-label" x={(x(0) + x(1)) / 2} y={HEIGHT - 4} textAnchor="middle">Dice</text>
        <text className="plot-text plot-axis-label" x={12} y={(y(0) + y(max)) / 2} textAnchor="middle" transform={`rotate(-90 12 ${(y(0) + y(max)) / 2})`}>images</text>
      </svg>
    </figure>
  );
}
