import { Badge, Table, Text } from '@mantine/core';
import type { ModelComparison } from '../../core/evaluation/comparison.ts';
import type { Interval } from '../../core/metrics/bootstrap.ts';
import { ResultSection } from './ResultSection.tsx';
import { fixed, interval } from './format.ts';

const row = (name: string, n: number, d: Interval) => {
  const excludesZero = d.low > 0 || d.high < 0;
  return (
    <Table.Tr key={name}>
      <Table.Td>{name}</Table.Td><Table.Td>{n}</Table.Td><Table.Td>{fixed(d.estimate)}</Table.Td><Table.Td>{interval(d)}</Table.Td><Table.Td><Badge variant="light" color={excludesZero ? 'yellow' : 'gray'}>{excludesZero ? 'yes' : 'no'}</Badge></Table.Td>
    </Table.Tr>
  );
};

/** Two runs on the same images: A - B per headline number with a paired 95% bootstrap interval. */
export function ComparisonPanel({ comparison }: { comparison: ModelComparison }) {
  const { classification: c, segmentation: s } = comparison;
  return (
    <ResultSection title={`${comparison.a} minus ${comparison.b}`} meta="paired 95% bootstrap" label="Comparison" testId="comparison">
      {!c && !s ? (
        <Text size="sm">The two runs share no scored images.</Text>
      ) : (
        <div className="table-scroll">
          <Table withTableBorder striped className="numeric-table">
            <Table.Thead>
              <Table.Tr><Table.Th>metric</Table.Th><Table.Th>paired images</Table.Th><Table.Th>difference</Table.Th><Table.Th>95% CI</Table.Th><Table.Th>CI excludes 0</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c && row('accuracy', c.n, c.accuracy)}
              {c && row('macro F1', c.n, c.macroF1)}
              {s && row('mean Dice', s.n, s.meanDice)}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </ResultSection>
  );
}
