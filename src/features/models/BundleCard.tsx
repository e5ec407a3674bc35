import { Accordion, Badge, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { Manifest } from '../../core/manifest/types.ts';
import { ModelCardText } from './ModelCardText.tsx';
import { useModelCard } from './queries.ts';
import { megabytes as mb } from '../../ui/format.ts';

const round3 = (_: string, x: unknown) => (typeof x === 'number' ? +x.toFixed(3) : x);

/** Scalar metrics on a line each; nested ones (per split, per class, run notes) folded, to open one at a time. */
function Metrics({ metrics }: { metrics: Record<string, unknown> | undefined }) {
  if (!metrics) return <>—</>;
  const entries = Object.entries(metrics);
  return (
    <ul className="bundle-metrics">
      {entries.map(([name, value]) =>
        value !== null && typeof value === 'object' ? (
          <li key={name}>
            <details>
              <summary>{name}</summary>
              <pre className="bundle-metric-json">{JSON.stringify(value, round3, 2)}</pre>
            </details>
          </li>
        ) : (
          <li key={name}>
            {name}: {typeof value === 'number' ? <strong>{value.toFixed(3)}</strong> : String(value)}
          </li>
        ),
      )}
    </ul>
  );
}

export function BundleCard({ manifest, active, onUse }: { manifest: Manifest; active: boolean; onUse: () => void }) {
  const card = useModelCard(manifest);
  return (
    <Card withBorder padding="lg" radius="md" component="article" data-testid={`bundle-${manifest.id}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3} size="h4">
              {manifest.name}
            </Title>
            <Group gap="xs" mt={4}>
              <Code>{manifest.id}</Code>
              <Text size="sm" c="dimmed">
                License: {manifest.license}
              </Text>
            </Group>
          </div>
          {active ? (
            <Badge color="green" variant="light" size="lg">
              In use on every page
            </Badge>
          ) : (
            <Button variant="light" onClick={onUse}>
              Use this bundle
            </Button>
          )}
        </Group>
        <Table.ScrollContainer minWidth={560}>
          <Table striped withTableBorder verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Model</Table.Th>
                <Table.Th>Task</Table.Th>
                <Table.Th>Variants (size)</Table.Th>
                <Table.Th>Params</Table.Th>
                <Table.Th>Metrics</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(manifest.models).map(([role, spec]) => (
                <Table.Tr key={role}>
                  <Table.Td fw={500}>{role}</Table.Td>
                  <Table.Td>{spec!.task}</Table.Td>
                  <Table.Td>{Object.entries(spec!.variants).map(([v, f]) => `${v} ${mb(f!.bytes)}`).join(', ')}</Table.Td>
                  <Table.Td>{spec!.params ? `${(spec!.params / 1e6).toFixed(2)} M` : '—'}</Table.Td>
                  <Table.Td>
                    <Metrics metrics={spec!.metrics} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {manifest.card && (
          <Accordion variant="contained" chevronPosition="left">
            <Accordion.Item value="card">
              <Accordion.Control>Model card</Accordion.Control>
              <Accordion.Panel>
                {card.data !== undefined ? (
                  <ModelCardText markdown={card.data} />
                ) : (
                  <Text size="sm" c="dimmed">
                    {card.isPending ? 'Loading…' : ''}
                  </Text>
                )}
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        )}
      </Stack>
    </Card>
  );
}
