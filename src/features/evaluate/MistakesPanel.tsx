import { Anchor, Table } from '@mantine/core';
import type { EvaluationSummary } from '../../core/evaluation/summary.ts';
import { ResultSection } from './ResultSection.tsx';

/** The classifier's most confident wrong calls; a name opens the case. */
export function MistakesPanel({ mistakes, onView }: { mistakes: EvaluationSummary['worstCases']['classification']; onView: (stem: string) => void }) {
  return (
    <ResultSection title="Most confident mistakes" label="Worst cases">
      <div className="table-scroll">
        <Table striped highlightOnHover withTableBorder className="numeric-table">
          <Table.Thead>
            <Table.Tr><Table.Th>image</Table.Th><Table.Th className="text-cell">truth</Table.Th><Table.Th className="text-cell">called</Table.Th><Table.Th>confidence</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mistakes.map((w) => (
              <Table.Tr key={w.stem}>
                <Table.Td><Anchor component="button" type="button" size="sm" onClick={() => onView(w.stem)}>{w.stem}</Anchor></Table.Td><Table.Td className="text-cell">{w.label}</Table.Td><Table.Td className="text-cell">{w.predicted}</Table.Td><Table.Td>{w.confidence.toFixed(4)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </ResultSection>
  );
}
