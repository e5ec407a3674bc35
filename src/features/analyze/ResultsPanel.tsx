import { Badge, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { Panel } from '../../ui/PageLayout.tsx';
import { groundTruthDice, useAnalyze } from './analyzeStore.ts';

/** Mask area per channel, Dice against a ground-truth mask if one is open, and class probabilities. */
export function ResultsPanel() {
  const { result, overlay, groundTruth } = useAnalyze();
  const diceValue = useAnalyze(groundTruthDice);
  if (!result) return null;
  const { segmentation, classification } = result;
  return (
    <section aria-label="Results" className="panel">
      <Stack gap="md">
        {segmentation && (
          <Panel title="Lung mask" actions={<Text size="xs" c="dimmed">{segmentation.ms.toFixed(0)} ms</Text>}>
            <Stack gap={4}>
              {segmentation.channels.map((c, i) => (
                <Group key={c.name} gap="xs" justify="space-between" wrap="nowrap" data-testid={`mask-area-${c.name}`}>
                  <Text size="sm">
                    {c.name}
                    {i === overlay.channel && (
                      <Badge size="xs" variant="light" ml={6}>
                        shown
                      </Badge>
                    )}
                  </Text>
                  <Text size="sm" className="analyze-dice">
                    {(c.area.fraction * 100).toFixed(1)}% of the image ({c.area.pixels} px)
                  </Text>
                </Group>
              ))}
            </Stack>
            {groundTruth && (
              <Text size="sm" mt="xs" data-testid="gt-dice">
                Dice vs {groundTruth.name}: <strong className="analyze-dice">{diceValue === undefined ? 'mask size differs from the image' : diceValue.toFixed(4)}</strong>
              </Text>
            )}
          </Panel>
        )}
        {classification && (
          <Panel title="Findings (classifier)" actions={<Text size="xs" c="dimmed">{classification.ms.toFixed(0)} ms</Text>}>
            <Table className="analyze-probabilities" data-testid="probabilities" verticalSpacing={4} horizontalSpacing="xs">
              <Table.Tbody>
                {classification.classes.map((name, i) => (
                  <Table.Tr key={name}>
                    <Table.Th scope="row">{name}</Table.Th>
                    <Table.Td className="analyze-bar">
                      <Progress.Root size="sm">
                        <Progress.Section value={classification.probabilities[i] * 100} aria-label={`Probability of ${name}`} />
                      </Progress.Root>
                    </Table.Td>
                    <Table.Td ta="right" className="analyze-dice">
                      {(classification.probabilities[i] * 100).toFixed(1)}%
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Panel>
        )}
      </Stack>
    </section>
  );
}
