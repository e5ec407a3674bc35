import { Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * Every page's frame: a title and one line of what the page is for, a left control panel
 * (inputs, settings, actions: what the user sets), and a large work area (images, results:
 * what the studio shows). On a narrow window the panel stacks above the work area.
 */
export function PageLayout({ title, intro, controls, children, className }: { title: string; intro?: ReactNode; controls?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`page ${className ?? ''}`} aria-labelledby={`page-title-${title}`}>
      <header className="page-header">
        <Title order={2} id={`page-title-${title}`}>
          {title}
        </Title>
        {intro && (
          <Text c="dimmed" size="sm" className="page-intro">
            {intro}
          </Text>
        )}
      </header>
      <div className={controls ? 'page-body' : 'page-body page-body-wide'}>
        {controls && (
          <aside className="control-panel" aria-label={`${title} controls`}>
            <Stack gap="md">{controls}</Stack>
          </aside>
        )}
        <div className="work-area">{children}</div>
      </div>
    </section>
  );
}

/** A titled group inside the control panel or the work area. */
export function Panel({ title, children, actions, testId }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <div className="panel" data-testid={testId}>
      {(title || actions) && (
        <div className="panel-head">
          {title && (
            <Title order={3} size="h5" className="panel-title">
              {title}
            </Title>
          )}
          {actions && <div className="panel-actions">{actions}</div>}
        </div>
      )}
      {children}
    </div>
  );
}
