import { Button, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { adherenceByGroup, adherenceText } from '../../core/curation/adherence.ts';
import { judgeLabel, type Judge } from '../../core/curation/judges.ts';
import { countKept } from '../../core/curation/proxyFilter.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { Panel } from '../../ui/PageLayout.tsx';
import { scoreGallery, stopScoring } from './actions.ts';
import { useCurate } from './curateStore.ts';
import { proxyVerdict } from './curation.ts';
import { Histogram } from './Histogram.tsx';

/** Scoring and the two thresholds (left panel). `judge`: the classifier and segmenter in the analysis worker, once they are loaded. */
export function FilterControls({ judge }: { judge: Judge | undefined }) {
  const modelsReady = judge !== undefined;
  const entries = useCurate((s) => s.entries);
  const unscored = useCurate((s) => s.entries.filter((e) => !s.scores[e.id]).length);
  const scoring = useCurate((s) => s.scoring);
  const thresholds = useCurate((s) => s.thresholds);
  const setThresholds = useCurate((s) => s.setThresholds);
  return (
    <Panel title="Proxy filter">
      <Stack gap="sm">
        <Text size="sm">
          {entries.length} generated image{entries.length === 1 ? '' : 's'} in the gallery; {unscored} not scored yet{judge ? ' by this judge' : ''}.
        </Text>
        {judge && (
          <Text size="xs" c="dimmed" data-testid="curate-judge">
            Judge: {judgeLabel(judge)}
          </Text>
        )}
        {scoring ? (
          <Stack gap={4}>
            <Progress value={(100 * scoring.done) / Math.max(1, scoring.total)} aria-label="Scoring progress" />
            <Group justify="space-between">
              <Text size="sm">
                scoring {scoring.done + 1} of {scoring.total}
              </Text>
              <Button size="xs" variant="default" onClick={stopScoring}>
                Stop
              </Button>
            </Group>
          </Stack>
        ) : (
          <Button onClick={() => void scoreGallery()} disabled={!modelsReady || unscored === 0}>
            {modelsReady ? 'Score with the proxy model' : 'Loading the classifier and segmenter…'}
          </Button>
        )}
        <NumberField label="Min. probability of the prompted finding" min={0} max={1} step={0.05} value={thresholds.minFindingProbability} onChange={(v) => setThresholds({ minFindingProbability: v })} />
        <NumberField label="Min. mask Dice (mask-conditioned images)" min={0} max={1} step={0.05} value={thresholds.minMaskDice} onChange={(v) => setThresholds({ minMaskDice: v })} />
      </Stack>
    </Panel>
  );
}

/** What the filter does with the scores (work area): histograms with the thresholds, kept per prompt, adherence. */
export function FilterResults() {
  const entries = useCurate((s) => s.entries);
  const scores = useCurate((s) => s.scores);
  const thresholds = useCurate((s) => s.thresholds);
  const scored = entries.filter((e) => scores[e.id]);
  if (scored.length === 0) {
    return (
      <EmptyState title="Proxy scores appear here" testId="curate-scores-empty">
        Histograms of each image&apos;s probability of the prompted finding and of its mask Dice, with the thresholds, and how many images each prompt keeps.
        Press &ldquo;Score with the proxy model&rdquo; in the Proxy filter panel.
      </EmptyState>
    );
  }
  const verdictOf = (id: string) => proxyVerdict(scores[id], thresholds) === 'kept';
  const counts = countKept(scored, (e) => e.provenance.prompt, (e) => verdictOf(e.id));
  const probabilities = scored.flatMap((e) => (scores[e.id].findingProbability === null ? [] : [{ value: scores[e.id].findingProbability!, kept: verdictOf(e.id) }]));
  const adherence = adherenceByGroup(scored, (e) => e.provenance.prompt, (e) => scores[e.id]);
  const dices = scored.flatMap((e) => (scores[e.id].maskDice === null ? [] : [{ value: scores[e.id].maskDice!, kept: verdictOf(e.id) }]));
  return (
    <Panel title={`Proxy scores of ${scored.length} image${scored.length === 1 ? '' : 's'}`}>
      <Stack gap="md">
        <div className="curate-plots">
          <Histogram label="Probability of the prompted finding" values={probabilities} threshold={thresholds.minFindingProbability} />
          <Histogram label="Dice: conditioning mask vs segmenter" values={dices} threshold={thresholds.minMaskDice} />
        </div>
        <div className="table-scroll">
          <Table withTableBorder striped data-testid="kept-per-prompt">
            <Table.Thead>
              <Table.Tr><Table.Th>Prompt</Table.Th><Table.Th>Kept</Table.Th><Table.Th>Rejected</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {counts.map((c) => (
                <Table.Tr key={c.group}><Table.Td>{c.group}</Table.Td><Table.Td>{c.kept}</Table.Td><Table.Td>{c.rejected}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        <div className="table-scroll">
          <Table withTableBorder striped captionSide="top" data-testid="adherence">
            <Table.Caption>Adherence of every scored image (kept or not): prompt = classifier&apos;s top class is the prompted finding; mask = mean Dice of the conditioning mask and the segmenter</Table.Caption>
            <Table.Thead>
              <Table.Tr><Table.Th>Prompt</Table.Th><Table.Th>Images</Table.Th><Table.Th>Prompt adherence</Table.Th><Table.Th>Mean p(finding)</Table.Th><Table.Th>Mask adherence</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {adherence.map((r) => (
                <Table.Tr key={r.group} data-group={r.group}>
                  <Table.Td>{r.group}</Table.Td><Table.Td>{r.images}</Table.Td>
                  <Table.Td>{adherenceText(r.promptAdherence, r.withFinding)}</Table.Td>
                  <Table.Td>{adherenceText(r.meanFindingProbability)}</Table.Td>
                  <Table.Td>{adherenceText(r.maskAdherence, r.withMask)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </Stack>
    </Panel>
  );
}
