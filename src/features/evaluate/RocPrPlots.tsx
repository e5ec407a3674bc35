import type { CurvePair } from '../../core/evaluation/classificationSummary.ts';
import { CurvePlot } from './CurvePlot.tsx';

/** ROC and precision-recall curves side by side, one series per class or label. */
export function RocPrPlots({ curves, of }: { curves: Record<string, CurvePair>; of: string }) {
  const series = Object.entries(curves);
  if (series.length === 0) return null;
  return (
    <div className="row">
      <CurvePlot title={`ROC ${of}`} xLabel="false positive rate" yLabel="true positive rate" series={series.map(([name, v]) => ({ name, x: v.roc.fpr, y: v.roc.tpr }))} />
      <CurvePlot title={`Precision-recall ${of}`} xLabel="recall" yLabel="precision" series={series.map(([name, v]) => ({ name, x: v.pr.recall, y: v.pr.precision }))} />
    </div>
  );
}
