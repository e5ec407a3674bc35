import { Alert, List, Paper, Stack, Text } from '@mantine/core';
import { classificationOnlyNote, type ValidationSummary } from '../../core/evaluation/evaluationSet.ts';

/** Before the run: what was found, and every file that will be skipped with its reason. */
export function ValidationPanel({ validation, error }: { validation?: ValidationSummary; error?: { title: string; detail: string } }) {
  if (error) {
    return (
      <Alert color="red" variant="light" title={error.title} data-testid="input-error">
        {error.detail}
      </Alert>
    );
  }
  if (!validation) return null;
  const { counts, issues } = validation;
  return (
    <Paper withBorder radius="sm" p="sm" component="section" aria-label="Validation" data-testid="validation">
      <Stack gap="xs">
        <Text size="sm" data-testid="validation-counts">
          {counts.images} image(s): {counts.labelled} with a known label, {counts.withMask} with a mask; {counts.usable} usable.{counts.classificationOnly > 0 && ` ${classificationOnlyNote(counts.classificationOnly)}.`}
        </Text>
        {issues.length > 0 && (
          <details className="more" open={issues.length <= 20}>
            <summary className="warning">{issues.length} input issue(s); the run goes on with the valid rest</summary>
            <List size="xs" data-testid="validation-issues" className="scroll-list">
              {issues.map((i) => <List.Item key={`${i.kind}:${i.file}`}>{i.file}: {i.detail}</List.Item>)}
            </List>
          </details>
        )}
      </Stack>
    </Paper>
  );
}
