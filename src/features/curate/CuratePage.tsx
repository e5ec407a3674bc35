import { Button, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { CurateBatchJob } from '../batch/PageBatchJobs.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { PageLayout, Panel } from '../../ui/PageLayout.tsx';
import { TryExampleButton } from '../examples/TryExampleButton.tsx';
import { curateExampleBatch } from '../examples/tryCurate.ts';
import { useActiveBundleId, useAnalysisModels, useManifest } from '../models/queries.ts';
import { exportKept, exportReviews, importReviews, judgeOf, loadCuration, loadStoredScores } from './actions.ts';
import { useCurate } from './curateStore.ts';
import { exportable } from './curation.ts';
import { ExperimentPanel } from './ExperimentPanel.tsx';
import { FeedbackPanel } from './FeedbackPanel.tsx';
import { FilterControls, FilterResults } from './FilterPanel.tsx';
import { JudgesPanel } from './JudgesPanel.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import './curate.css';

/** Reviewer name, and reviews out to and in from JSON (left panel). */
function ReviewControls() {
  const reviewer = useCurate((s) => s.reviewer);
  const setReviewer = useCurate((s) => s.setReviewer);
  const message = useCurate((s) => s.message);
  return (
    <Panel title="Review">
      <Stack gap="sm">
        <TextInput label="Reviewer name" value={reviewer} onChange={(e) => setReviewer(e.currentTarget.value)} placeholder="e.g. Dr. A. Radiologist" />
        <Text size="xs" c="dimmed">
          Open an image in the grid to review it with the keyboard.
        </Text>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={exportReviews}>
            Export reviews (JSON)
          </Button>
          <FilePicker inputLabel="Reviews file" accept="application/json,.json" size="xs" onFiles={([file]) => void importReviews(file)}>
            Import reviews (JSON)
          </FilePicker>
        </Group>
        {message && (
          <Text size="sm" role="status">
            {message}
          </Text>
        )}
      </Stack>
    </Panel>
  );
}

/** The kept images as a zip (left panel). */
function ExportControls() {
  const keptCount = useCurate((s) => exportable(s.entries, s.scores, s.thresholds, s.reviews).length);
  const [anonymise, setAnonymise] = useState(false);
  return (
    <Panel title="Export">
      <Stack gap="sm">
        <Text size="sm">
          {keptCount} image{keptCount === 1 ? '' : 's'} kept by the proxy filter and not rejected by a reviewer.
        </Text>
        <Checkbox label="Anonymise file names" checked={anonymise} onChange={(e) => setAnonymise(e.currentTarget.checked)} />
        {anonymise && (
          <Text size="xs" c="dimmed">
            The name key (mask pseudonym to your file name) downloads as its own file: keep it private.
          </Text>
        )}
        <Button variant="light" onClick={() => void exportKept(anonymise)} disabled={keptCount === 0}>
          Export kept images (zip)
        </Button>
      </Stack>
    </Panel>
  );
}

export function CuratePage() {
  const models = useAnalysisModels();
  const manifest = useManifest(useActiveBundleId()).data;
  const entries = useCurate((s) => s.entries);
  const judge = useMemo(() => (models.isSuccess ? judgeOf(models.data) : undefined), [models.isSuccess, models.data]);
  const entryCount = entries.length;
  useEffect(() => void loadCuration(), []);
  useEffect(() => {
    if (!judge) return;
    useCurate.getState().setJudge(judge);
    if (entryCount) void loadStoredScores(judge);
  }, [judge, entryCount]);
  const order = entries.map((e) => e.id);

  const controls = (
    <>
      <Panel title="Images">
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            Curate filters and reviews the images made on Generate. No images yet? Make four with the bundle&apos;s fast settings and score them:
          </Text>
          <TryExampleButton load={() => curateExampleBatch(manifest!)} disabled={!manifest?.diffusion || !judge} what="Generate 4 example images (the bundle's fast settings) and score them with the proxy model" />
        </Stack>
      </Panel>
      <FilterControls judge={judge} />
      <ReviewControls />
      <ExportControls />
      {manifest?.diffusion && entryCount > 0 && (
        <Panel title="Batch job">
          <CurateBatchJob manifest={manifest} />
        </Panel>
      )}
    </>
  );
  return (
    <PageLayout title="Curate" className="curate-page" intro="Filter generated images with the proxy model, review them by keyboard, export the kept ones, and test whether they help a model." controls={controls}>
      {entryCount === 0 ? (
        <EmptyState
          title="Generated images appear here"
          testId="curate-empty"
          action={
            <Button component="a" href="#/generate" variant="default">
              Go to Generate
            </Button>
          }
        >
          The gallery is empty: make some images on Generate, or press &ldquo;Try with example data&rdquo; in the Images panel to generate and score four. Their proxy scores, reviews and the export follow here.
        </EmptyState>
      ) : (
        <>
          <ReviewPanel order={order} />
          <Panel title={`Gallery (${entryCount})`}>
            <ul className="curate-grid" aria-label="Generated images">
              {entries.map((entry) => (
                <Thumbnail key={entry.id} entry={entry} />
              ))}
            </ul>
          </Panel>
          <FilterResults />
          <JudgesPanel />
          <FeedbackPanel />
          <ExperimentPanel modelsReady={models.isSuccess} />
        </>
      )}
    </PageLayout>
  );
}
