import { Table, Text } from '@mantine/core';
import { multiLabelAucNote, type MultiLabelSummary } from '../../core/evaluation/multiLabelSummary.ts';
import { ResultSection } from './ResultSection.tsx';
import { RocPrPlots } from './RocPrPlots.tsx';
import { StatCard, StatRow } from './StatCard.tsx';
import { ciLine, fixed } from './format.ts';

/** Multi-label: the four averages and exact sets with 95% CIs, the per-label table, ROC and PR per label. */
export function MultiLabelResults({ m }: { m: MultiLabelSummary }) {
  const aucNote = multiLabelAucNote(m);
  return (
    <ResultSection title="Multi-label classification" meta={`n = ${m.n}, predicted = p ≥ ${m.threshold}`} label="Multi-label classification" testId="multi-label-results">
      <StatRow>
        <StatCard label="Micro F1" value={fixed(m.micro.f1)} sub={ciLine(m.ci.microF1)} testId="eval-micro-f1" />
        <StatCard label="Macro F1" value={fixed(m.macro.f1)} sub={ciLine(m.ci.macroF1)} testId="eval-macro-f1" />
        <StatCard label="Samples F1" value={fixed(m.samples.f1)} sub={ciLine(m.ci.samplesF1)} />
        <StatCard label="Exact sets" value={fixed(m.subsetAccuracy)} sub={ciLine(m.ci.subsetAccuracy)} testId="eval-subset-accuracy" />
        <StatCard label="Macro AUC" value={fixed(m.aucMacro)} sub={ciLine(m.ci.aucMacro)} testId="eval-auc" />
        <StatCard label="Weighted F1" value={fixed(m.weighted.f1)} />
      </StatRow>
      <Text size="sm" c="dimmed">
        Every class with probability ≥ {m.threshold} is predicted (the threshold is yours; nothing is tuned on this set). Macro average over the labels with positives in this set ({m.averagedOver.join(', ')}){m.notAveraged?.length ? `; not averaged: ${m.notAveraged.join(', ')}` : ''}; micro over every label seen; AUC over labels with positives and negatives.{aucNote ? ` ${aucNote}.` : ''} Intervals: 95% bootstrap over images.
      </Text>
      <div className="table-scroll">
        <Table withTableBorder striped className="numeric-table" data-testid="per-label" captionSide="top">
          <Table.Caption>Per label</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>label</Table.Th><Table.Th>precision</Table.Th><Table.Th>recall</Table.Th><Table.Th>F1</Table.Th><Table.Th>support</Table.Th><Table.Th>predicted</Table.Th><Table.Th>AUC</Table.Th><Table.Th>AP</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.perLabel.filter((k) => m.averagedOver.includes(k.class)).map((k) => (
              <Table.Tr key={k.class} data-class={k.class}>
                <Table.Td>{k.class}</Table.Td><Table.Td>{fixed(k.precision)}</Table.Td><Table.Td>{fixed(k.recall)}</Table.Td><Table.Td>{fixed(k.f1)}</Table.Td><Table.Td>{k.support}</Table.Td><Table.Td>{k.predicted}</Table.Td><Table.Td>{fixed(k.auc)}</Table.Td><Table.Td>{fixed(k.averagePrecision)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <RocPrPlots curves={m.curves} of="per label" />
    </ResultSection>
  );
}
