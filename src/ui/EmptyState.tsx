import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * What an area shows before there is anything in it: what will appear here, and the one
 * thing to do next (an action, e.g. a "Try with example data" button), never an empty
 * table header or a blank chart.
 */
export function EmptyState({ title, children, action, testId }: { title: string; children?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <Text fw={600}>{title}</Text>
      {children && (
        <Text c="dimmed" size="sm">
          {children}
        </Text>
      )}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
