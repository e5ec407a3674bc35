import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { acceptanceBy } from '../../core/curation/acceptance.ts';
import { proxyReviewerAgreement } from '../../core/curation/agreement.ts';
import { latestReviewPerImage } from '../../core/curation/review.ts';
import { SETTING_GROUPS, settingKey } from '../../core/curation/settingGroups.ts';
import { suggestThreshold } from '../../core/curation/suggestThreshold.ts';
import { Panel } from '../../ui/PageLayout.tsx';
import { useCurate } from './curateStore.ts';
import { proxyVerdict } from './curation.ts';

function percent(value: number): string {
  return Number.isNaN(value) ? '–' : `${(100 * value).toFixed(0)}%`;
}

/** What the reviews say: acceptance per prompt and setting, agreement with the proxy, thresholds that match the reviewer. */
export function FeedbackPanel() {
  const entries = useCurate((s) => s.entries);
  const scores = useCurate((s) => s.scores);
  const thresholds = useCurate((s) => s.thresholds);
  const reviews = useCurate((s) => s.reviews);
  const setThresholds = useCurate((s) => s.setThresholds);
  const latest = latestReviewPerImage(reviews);
  const reviewed = entries.filter((e) => latest.has(e.id));
  if (reviewed.length === 0) {
    return (
      <Panel title="Feedback">
        <Text size="sm" c="dimmed">
          No reviews yet. Acceptance per prompt and setting, agreement with the proxy filter and suggested thresholds appear here once you review images: open one in the gallery.
        </Text>
      </Panel>
    );
  }

  const scoredReviewed = reviewed.filter((e) => scores[e.id]);
  const accepted = (id: string) => latest.get(id)!.decision === 'accept';
  const agreement = scoredReviewed.length ? proxyReviewerAgreement(scoredReviewed.map((e) => proxyVerdict(scores[e.id], thresholds) === 'kept'), scoredReviewed.map((e) => accepted(e.id))) : undefined;
  const withProbability = scoredReviewed.filter((e) => scores[e.id].findingProbability !== null);
  const withDice = scoredReviewed.filter((e) => scores[e.id].maskDice !== null);
  const probabilitySuggestion = suggestThreshold(withProbability.map((e) => scores[e.id].findingProbability!), withProbability.map((e) => accepted(e.id)));
  const diceSuggestion = suggestThreshold(withDice.map((e) => scores[e.id].maskDice!), withDice.map((e) => accepted(e.id)));

  return (
    <Panel title={`Feedback from ${reviewed.length} reviewed image${reviewed.length === 1 ? '' : 's'}`}>
      <Stack gap="md">
        {SETTING_GROUPS.map((group) => {
          const rows = acceptanceBy(reviewed.map((e) => ({ key: settingKey(e.provenance, group), accepted: accepted(e.id), realism: latest.get(e.id)!.realism })));
          return (
            <div key={group} className="table-scroll">
              <Table withTableBorder striped data-testid={`acceptance-${group}`}>
                <Table.Thead>
                  <Table.Tr><Table.Th>{group}</Table.Th><Table.Th>reviewed</Table.Th><Table.Th>accepted</Table.Th><Table.Th>rate</Table.Th><Table.Th>mean realism</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.key}><Table.Td>{r.key}</Table.Td><Table.Td>{r.n}</Table.Td><Table.Td>{r.accepted}</Table.Td><Table.Td>{percent(r.rate)}</Table.Td><Table.Td>{r.meanRealism?.toFixed(2) ?? '–'}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          );
        })}
        {agreement && (
          <div className="table-scroll">
            <Table withTableBorder captionSide="top" data-testid="agreement">
              <Table.Caption>Proxy filter vs reviewer ({scoredReviewed.length} scored and reviewed; agreement {percent(agreement.accuracy)}, Cohen's κ {Number.isNaN(agreement.kappa) ? '–' : agreement.kappa.toFixed(2)})</Table.Caption>
              <Table.Thead>
                <Table.Tr><Table.Th /><Table.Th>proxy rejects</Table.Th><Table.Th>proxy keeps</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr><Table.Th>reviewer rejects</Table.Th><Table.Td>{agreement.matrix[0][0]}</Table.Td><Table.Td>{agreement.matrix[0][1]}</Table.Td></Table.Tr>
                <Table.Tr><Table.Th>reviewer accepts</Table.Th><Table.Td>{agreement.matrix[1][0]}</Table.Td><Table.Td>{agreement.matrix[1][1]}</Table.Td></Table.Tr>
              </Table.Tbody>
            </Table>
          </div>
        )}
        <Stack gap="xs">
          <Text size="sm">Suggested thresholds (best balanced match to the reviewer&apos;s accept/reject, Youden&apos;s J):</Text>
          <Group gap="sm">
            {probabilitySuggestion ? (
              <Button variant="light" size="xs" onClick={() => setThresholds({ minFindingProbability: probabilitySuggestion.threshold })}>
                probability ≥ {probabilitySuggestion.threshold.toFixed(3)} (agrees on {percent(probabilitySuggestion.agreement)})
              </Button>
            ) : <Text size="sm" c="dimmed">probability: needs both accepted and rejected reviews</Text>}
            {diceSuggestion ? (
              <Button variant="light" size="xs" onClick={() => setThresholds({ minMaskDice: diceSuggestion.threshold })}>
                Dice ≥ {diceSuggestion.threshold.toFixed(3)} (agrees on {percent(diceSuggestion.agreement)})
              </Button>
            ) : <Text size="sm" c="dimmed">Dice: needs accepted and rejected mask-conditioned reviews</Text>}
          </Group>
        </Stack>
      </Stack>
    </Panel>
  );
}
