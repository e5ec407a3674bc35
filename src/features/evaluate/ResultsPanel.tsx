import { Button, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { exportCsv, exportJson, exportNameKey, modelNames, viewCase } from './actions.ts';
import { CaseViewer } from './CaseViewer.tsx';
import { ClassificationResults } from './ClassificationResults.tsx';
import { ComparisonPanel } from './ComparisonPanel.tsx';
import { useEvaluate } from './evaluateStore.ts';
import { MistakesPanel } from './MistakesPanel.tsx';
import { MultiLabelResults } from './MultiLabelResults.tsx';
import { SegmentationResults } from './SegmentationResults.tsx';
import { ShiftPanel } from './ShiftPanel.tsx';

/** The open run's results: what was scored with which files, the exports, then each kind of result. */
export function ResultsPanel() {
  const { run, summary, view, comparison } = useEvaluate();
  const [anonymise, setAnonymise] = useState(false);
  if (!summary) return null;
  const onView = (stem: string) => void viewCase(stem);
  return (
    <section aria-label="Results" className="results">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={4} className="results-head">
            <Title order={2} size="h3">
              Results: {summary.dataset.name}
            </Title>
            <Text size="sm" c="dimmed">
              {summary.dataset.evaluated} of {summary.dataset.images} evaluated, {summary.dataset.failed} failed · {summary.engine}
            </Text>
            <Text size="xs" c="dimmed" className="hashes" data-testid="eval-models">
              {modelNames(summary)}: {summary.models.map((m) => `${m.role} ${m.file} sha256 ${m.sha256}`).join('; ')}
            </Text>
          </Stack>
          <Stack gap="xs" align="flex-end">
            <Group gap="xs">
              <Button variant="default" size="xs" onClick={() => exportJson(anonymise)} data-testid="export-json">
                Export JSON summary
              </Button>
              <Button variant="default" size="xs" onClick={() => exportCsv(anonymise)} data-testid="export-csv">
                Export per-image CSV
              </Button>
            </Group>
            <Group gap="xs">
              <Checkbox size="xs" label="Anonymise file names" checked={anonymise} onChange={(e) => setAnonymise(e.currentTarget.checked)} data-testid="export-anonymise" />
              {anonymise && (
                <Button variant="subtle" size="xs" onClick={exportNameKey} data-testid="export-name-key" title="pseudonym to original file name; keep it private, apart from the export">
                  Download name key
                </Button>
              )}
            </Group>
          </Stack>
        </Group>
        {summary.shift && <ShiftPanel shift={summary.shift} cases={run?.cases ?? []} />}
        {summary.classification && <ClassificationResults c={summary.classification} threshold={summary.settings.threshold} />}
        {summary.multiLabel && <MultiLabelResults m={summary.multiLabel} />}
        {summary.segmentation && <SegmentationResults s={summary.segmentation} channel={summary.settings.diceChannel} emptyRule={summary.settings.emptyTruth} cases={run?.cases ?? []} onView={onView} />}
        {summary.worstCases.classification.length > 0 && <MistakesPanel mistakes={summary.worstCases.classification} onView={onView} />}
        {view && <CaseViewer stem={view.stem} view={view.view} error={view.error} />}
        {comparison && <ComparisonPanel comparison={comparison} />}
      </Stack>
    </section>
  );
}
