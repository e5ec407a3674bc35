import { Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * One headline number: its name, the value (the element e2e tests read, by `testId`), and
 * under it the 95% interval or another short note.
 */
export function StatCard({ label, value, sub, testId }: { label: string; value: string; sub?: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="sm" className="stat-card">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700} className="stat-value">
        <span data-testid={testId}>{value}</span>
      </Text>
      {sub && (
        <Text size="xs" c="dimmed">
          {sub}
        </Text>
      )}
    </Paper>
  );
}

/** A row of StatCards that wraps on a narrow window. */
export function StatRow({ children }: { children: ReactNode }) {
  return <div className="stat-row">{children}</div>;
}
