import { Table } from '@mantine/core';
import { formatInterval, hasBounds, type Interval } from '../../core/metrics/bootstrap.ts';

/** One colour per training-set size, from Mantine's palette so that light and dark both read. */
const COLOURS = ['blue', 'orange', 'teal', 'grape', 'yellow'].map((name) => `var(--mantine-color-${name}-filled)`);

export interface PlotPoint {
  size: number;
  ratio: number;
  score: Interval;
}

interface Props {
  points: readonly PlotPoint[];
  /** What `score` is (F1, Dice), for the axis and the label. */
  metric: string;
  /** Lowest value on the y axis (the top is 1): Dice rows that differ in the third decimal need a closer view than 0..1. */
  floor?: number;
  /** A dashed line across, e.g. the frozen segmenter alone. */
  reference?: { label: string; value: number };
}

/** The lowest point the plot draws for a score: its interval's low end, or the estimate without an interval (bootstrap 0). */
export function plotLow(i: Interval): number {
  return hasBounds(i) ? i.low : i.estimate;
}

/** A score with its 95% CI against the synthetic ratio, one line per real training-set size. */
export function ExperimentPlot({ points, metric, floor = 0, reference }: Props) {
  const ratios = [...new Set(points.map((r) => r.ratio))].sort((a, b) => a - b);
  const sizes = [...new Set(points.map((r) => r.size))];
  const W = 360;
  const H = 200;
  const pad = 30;
  const x = (ratio: number) => pad + (ratios.length > 1 ? (ratios.indexOf(ratio) / (ratios.length - 1)) * (W - 2 * pad) : (W - 2 * pad) / 2);
  const y = (value: number) => H - pad - ((value - floor) / (1 - floor)) * (H - 2 * pad);
  const ticks = [floor, (floor + 1) / 2, 1];
  return (
    <svg className="experiment-plot" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`Test ${metric} against synthetic ratio per training-set size`}>
      <line x1={pad} x2={pad} y1={pad} y2={H - pad} className="axis" />
      <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} className="axis" />
      {ticks.map((v) => <text key={v} x={2} y={y(v) + 3} fontSize={9}>{Number(v.toFixed(3))}</text>)}
      {ratios.map((r) => <text key={r} x={x(r) - 6} y={H - pad + 12} fontSize={9}>×{r}</text>)}
      {reference && (
        <g className="reference">
          <line x1={pad} x2={W - pad} y1={y(reference.value)} y2={y(reference.value)} strokeDasharray="4 3" />
          <text x={pad + 4} y={y(reference.value) - 3} fontSize={9} stroke="none">{reference.label}</text>
        </g>
      )}
      {sizes.map((size, k) => {
        const line = points.filter((r) => r.size === size).sort((a, b) => a.ratio - b.ratio);
        const colour = COLOURS[k % COLOURS.length];
        return (
          <g key={size} style={{ stroke: colour, fill: colour }}>
            <polyline fill="none" points={line.map((r) => `${x(r.ratio)},${y(r.score.estimate)}`).join(' ')} />
            {line.map((r) => (
              <g key={r.ratio}>
                {hasBounds(r.score) && <line x1={x(r.ratio) + k * 3} x2={x(r.ratio) + k * 3} y1={y(r.score.low)} y2={y(r.score.high)} />}
                <circle cx={x(r.ratio)} cy={y(r.score.estimate)} r={2.5} />
              </g>
            ))}
            <text x={W - pad - 60} y={pad + 12 * k} fontSize={10} stroke="none" style={{ fill: colour }}>{size} real</text>
          </g>
        );
      })}
    </svg>
  );
}

interface TableRow {
  size: number;
  ratio: number;
  realCount: number;
  syntheticCount: number;
  gain: Interval | null;
}

/** The experiment's rows as a table; `data-rows` holds them as JSON, exactly as computed (the e2e tests compare it with the CLI's). */
export function ExperimentTable<R extends TableRow>({ rows, score, metric, testId }: { rows: readonly R[]; score: (row: R) => Interval; metric: string; testId: string }) {
  return (
    <div className="table-scroll">
      <Table withTableBorder striped data-testid={testId} data-rows={JSON.stringify(rows)}>
        <Table.Thead><Table.Tr><Table.Th>size</Table.Th><Table.Th>ratio</Table.Th><Table.Th>real</Table.Th><Table.Th>synthetic</Table.Th><Table.Th>test {metric} [95% CI]</Table.Th><Table.Th>gain vs no synthetic [95% CI]</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.size}-${row.ratio}`}><Table.Td>{row.size}</Table.Td><Table.Td>{row.ratio}</Table.Td><Table.Td>{row.realCount}</Table.Td><Table.Td>{row.syntheticCount}</Table.Td><Table.Td>{formatInterval(score(row))}</Table.Td><Table.Td>{row.gain ? formatInterval(row.gain) : '—'}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
