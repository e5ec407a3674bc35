import { Table, Text } from '@mantine/core';
import { classificationAucNote, type ClassificationSummary } from '../../core/evaluation/classificationSummary.ts';
import { ResultSection } from './ResultSection.tsx';
import { RocPrPlots } from './RocPrPlots.tsx';
import { StatCard, StatRow } from './StatCard.tsx';
import { ciLine, fixed } from './format.ts';

/** Headline numbers with 95% CIs, confusion matrix, per-class table, ROC and PR curves. */
export function ClassificationResults({ c, threshold }: { c: ClassificationSummary; threshold: number }) {
  // the matrix and table show every class seen in truth or predictions (a prediction into an absent class is a mistake to see)
  const seen = (k: number) => c.perClass[k].support > 0 || c.perClass[k].predicted > 0;
  const aucNote = classificationAucNote(c);
  const shown = c.classes.map((name, k) => ({ name, k })).filter(({ k }) => seen(k));
  const cell = (truth: number, predicted: number) => {
    const n = c.confusion[truth][predicted];
    if (n === 0) return undefined;
    return truth === predicted ? 'confusion-hit' : 'confusion-miss';
  };
  return (
    <ResultSection title="Classification" meta={`n = ${c.n}`} label="Classification" testId="classification-results">
      <StatRow>
        <StatCard label="Accuracy" value={fixed(c.accuracy)} sub={ciLine(c.ci.accuracy)} testId="eval-accuracy" />
        <StatCard label="Macro F1" value={fixed(c.macro.f1)} sub={ciLine(c.ci.macroF1)} testId="eval-macro-f1" />
        <StatCard label="Macro AUC" value={fixed(c.aucMacro)} sub={ciLine(c.ci.aucMacro)} testId="eval-auc" />
        <StatCard label="Micro F1" value={fixed(c.micro.f1)} />
        <StatCard label="Weighted F1" value={fixed(c.weighted.f1)} />
      </StatRow>
      <Text size="sm" c="dimmed">
        Predicted class = highest probability. Macro averages over the classes with examples in this set ({c.averagedOver.join(', ')}){c.notAveraged?.length ? `; not averaged, no examples: ${c.notAveraged.join(', ')}` : ''}.{aucNote ? ` ${aucNote}.` : ''} Intervals: 95% bootstrap.
      </Text>
      <div className="result-tables">
        <div className="table-scroll">
          <Table withTableBorder withColumnBorders className="numeric-table confusion-table" data-testid="confusion" captionSide="top">
            <Table.Caption>Confusion matrix (rows: truth, columns: predicted)</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                {shown.map(({ name }) => <Table.Th key={name}>{name}</Table.Th>)}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map(({ name, k }) => (
                <Table.Tr key={name}>
                  <Table.Th>{name}</Table.Th>
                  {shown.map(({ k: p }) => <Table.Td key={p} className={cell(k, p)}>{c.confusion[k][p]}</Table.Td>)}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        <div className="table-scroll">
          <Table withTableBorder striped className="numeric-table" data-testid="per-class" captionSide="top">
            <Table.Caption>Per class</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>class</Table.Th><Table.Th>precision</Table.Th><Table.Th>recall</Table.Th><Table.Th>F1</Table.Th><Table.Th>support</Table.Th><Table.Th>AUC</Table.Th><Table.Th>AP</Table.Th><Table.Th>F1 at p ≥ {threshold}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.perClass.filter((_, k) => seen(k)).map((k) => (
                <Table.Tr key={k.class} data-class={k.class}>
                  <Table.Td>{k.class}</Table.Td><Table.Td>{fixed(k.precision)}</Table.Td><Table.Td>{fixed(k.recall)}</Table.Td><Table.Td>{fixed(k.f1)}</Table.Td><Table.Td>{k.support}</Table.Td><Table.Td>{fixed(k.auc)}</Table.Td><Table.Td>{fixed(k.averagePrecision)}</Table.Td><Table.Td>{fixed(k.atThreshold.f1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </div>
      <RocPrPlots curves={c.curves} of="(one vs rest)" />
    </ResultSection>
  );
}
