import { Table, Text } from '@mantine/core';
import { adherenceText } from '../../core/curation/adherence.ts';
import { compareJudges, judgeKey, judgeLabel } from '../../core/curation/judges.ts';
import { Panel } from '../../ui/PageLayout.tsx';
import { useCurate } from './curateStore.ts';

/**
 * The gallery's proxy numbers by every judge that scored it: the models in use first, then
 * each other classifier and segmenter whose scores were saved (another bundle, the user's own
 * model), on the images all of them scored. A generator can fool a classifier trained in the
 * same run; an independent judge shows whether it did.
 */
export function JudgesPanel() {
  const entries = useCurate((s) => s.entries);
  const judge = useCurate((s) => s.judge);
  const scores = useCurate((s) => s.scores);
  const otherJudges = useCurate((s) => s.otherJudges);
  const thresholds = useCurate((s) => s.thresholds);
  if (!judge) return null;
  const present = otherJudges.filter((j) => entries.some((e) => j.scores[e.id]));
  if (present.length === 0) {
    return (
      <Panel title="Judges">
        <Text size="sm" c="dimmed" data-testid="judges-one">
          Scored by one judge, {judgeLabel(judge)}. A classifier trained in the same run as the generator can share its blind spots: load an independent classifier
          or segmenter on the Models page (Use your own model), come back and score again. Every judge&apos;s scores are kept, and their numbers show here side by side.
        </Text>
      </Panel>
    );
  }
  const { images, rows } = compareJudges(entries.map((e) => e.id), [{ judge, scores }, ...present], thresholds);
  return (
    <Panel title="Judges">
      <div className="table-scroll">
        <Table withTableBorder striped captionSide="top" data-testid="judges">
          <Table.Caption>
            {images.length === 0
              ? 'No image has been scored by every judge yet: score the gallery with the models in use.'
              : `The ${images.length} image${images.length === 1 ? '' : 's'} (of ${entries.length}) that every judge scored; the first row is the judge in use, kept at the thresholds above.`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr><Table.Th>Judge</Table.Th><Table.Th>Prompt adherence</Table.Th><Table.Th>Mean p(finding)</Table.Th><Table.Th>Mask adherence</Table.Th><Table.Th>Kept</Table.Th><Table.Th>Same verdict as the judge in use</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={judgeKey(r.judge)} data-judge={judgeKey(r.judge)}>
                <Table.Td>{judgeLabel(r.judge)}</Table.Td>
                <Table.Td>{adherenceText(r.adherence.promptAdherence, r.adherence.withFinding)}</Table.Td>
                <Table.Td>{adherenceText(r.adherence.meanFindingProbability)}</Table.Td>
                <Table.Td>{adherenceText(r.adherence.maskAdherence, r.adherence.withMask)}</Table.Td>
                <Table.Td>{r.kept}</Table.Td>
                <Table.Td>{r.agreement === null ? '—' : `${(100 * r.agreement).toFixed(0)}%`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Panel>
  );
}
