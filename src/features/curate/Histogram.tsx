/** Counts of kept and rejected scores in ten bins over [0, 1], with the threshold drawn as a line. */
export function Histogram({ label, values, threshold }: { label: string; values: readonly { value: number; kept: boolean }[]; threshold: number }) {
  const bins = Array.from({ length: 10 }, () => ({ kept: 0, rejected: 0 }));
  for (const { value, kept } of values) bins[Math.min(9, Math.max(0, Math.floor(value * 10)))][kept ? 'kept' : 'rejected']++;
  const top = Math.max(1, ...bins.map((b) => b.kept + b.rejected));
  const W = 200;
  const H = 60;
  return (
    <figure className="curate-histogram">
      <svg viewBox={`0 0 ${W} ${H + 12}`} role="img" aria-label={`${label}: ${values.length} images`}>
        {bins.map((b, i) => {
          const hk = (b.kept / top) * H;
          const hr = (b.rejected / top) * H;
          return (
            <g key={i}>
              <rect x={i * 20 + 1} y={H - hk} width={18} height={hk} className="bar-kept" />
              <rect x={i * 20 + 1} y={H - hk - hr} width={18} height={hr} className="bar-rejected" />
            </g>
          );
        })}
        <line x1={0} x2={W} y1={H} y2={H} className="axis" />
        <line x1={threshold * W} x2={threshold * W} y1={0} y2={H} className="threshold-line" />
        <text x={0} y={H + 11} fontSize={9}>0</text>
        <text x={W - 6} y={H + 11} fontSize={9}>1</text>
      </svg>
      <figcaption>
        {label}: {values.length} image{values.length === 1 ? '' : 's'}, <span className="legend-kept">kept</span> / <span className="legend-rejected">rejected</span>, threshold dashed
      </figcaption>
    </figure>
  );
}
