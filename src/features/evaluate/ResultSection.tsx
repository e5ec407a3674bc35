import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One bordered block of results (classification, segmentation, …): a title, what it counts, then its contents. */
export function ResultSection({ title, meta, label, testId, children }: { title: ReactNode; meta?: ReactNode; label: string; testId?: string; children: ReactNode }) {
  return (
    <Paper component="section" withBorder radius="md" p="md" aria-label={label} data-testid={testId}>
      <Stack gap="md">
        <Group gap="xs" align="baseline">
          <Title order={3} size="h4">
            {title}
          </Title>
          {meta && (
            <Text size="sm" c="dimmed">
              {meta}
            </Text>
          )}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
