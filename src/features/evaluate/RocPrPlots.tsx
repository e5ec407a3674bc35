import { Group, Text } from '@mantine/core';
import type { CurvePair } from '../../core/evaluation/classificationSummary.ts';
import { CurvePlot, seriesClass } from './CurvePlot.tsx';

/** ROC and precision-recall curves side by side, one series per class or label, with one legend for both. */
export function RocPrPlots({ curves, of }: { curves: Record<string, CurvePair>; of: string }) {
  const series = Object.entries(curves);
  if (series.length === 0) return null;
  return (
    <div>
      <div className="plots">
        <CurvePlot title={`ROC ${of}`} xLabel="false positive rate" yLabel="true positive rate" diagonal series={series.map(([name, v]) => ({ name, x: v.roc.fpr, y: v.roc.tpr }))} />
        <CurvePlot title={`Precision-recall ${of}`} xLabel="recall" yLabel="precision" series={series.map(([name, v]) => ({ name, x: v.pr.recall, y: v.pr.precision }))} />
      </div>
      <Group gap="md" className="legend" aria-label="Legend">
        {series.map(([name], i) => (
          <Group key={name} gap={6} wrap="nowrap">
            <span className={`legend-swatch ${seriesClass(i)}`} aria-hidden />
            <Text size="sm">{name}</Text>
          </Group>
        ))}
      </Group>
    </div>
  );
}
