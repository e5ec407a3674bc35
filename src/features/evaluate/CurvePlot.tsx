/** A small SVG line plot on [0,1]x[0,1]: one polyline per series (ROC or PR curves). */
export function CurvePlot({ title, xLabel, yLabel, series }: { title: string; xLabel: string; yLabel: string; series: Array<{ name: string; x: number[]; y: number[] }> }) {
  const size = 220;
  const pad = 28;
  const px = (v: number) => pad + v * (size - pad - 6);
  const py = (v: number) => size - pad - v * (size - pad - 6);
  const colours = ['#2b6cb0', '#c53030', '#2f855a', '#b7791f', '#6b46c1'];
  return (
    <figure className="plot">
      <svg width={size} height={size} role="img" aria-label={title}>
        <rect x={px(0)} y={py(1)} width={px(1) - px(0)} height={py(0) - py(1)} fill="none" stroke="#999" />
        {series.map((s, i) => (
          <polyline key={s.name} fill="none" stroke={colours[i % colours.length]} strokeWidth={1.5} points={s.x.map((x, k) => `${px(x).toFixed(1)},${py(s.y[k]).toFixed(1)}`).join(' ')} />
        ))}
        <text x={size / 2} y={size - 6} textAnchor="middle" fontSize={10}>{xLabel}</text>
        <text x={10} y={size / 2} textAnchor="middle" fontSize={10} transform={`rotate(-90 10 ${size / 2})`}>{yLabel}</text>
      </svg>
      <figcaption>{title}: {series.map((s, i) => <span key={s.name} style={{ color: colours[i % colours.length] }}>{s.name} </span>)}</figcaption>
    </figure>
  );
}
