import { Button, Group, NativeSelect, Progress, Stack, Table, Text, TextInput } from '@mantine/core';
import { NumberField } from '../../ui/NumberField.tsx';
import { Panel } from '../../ui/PageLayout.tsx';
import { cancelExperiment, computeDiversity, computeFid, loadRealSet, runBrowserExperiment } from './experimentActions.ts';
import { useExperiment, type ExperimentTask } from './experimentStore.ts';
import { ExperimentPlot, ExperimentTable } from './ExperimentPlot.tsx';
import { RealSetPicker } from './RealSetPicker.tsx';
import { SegExperimentPanel } from './SegExperimentPanel.tsx';
import { useSegExperiment } from './segExperimentStore.ts';

/**
 * The fit's seed, L2 strength and bootstrap resamples, as both arms ask for them, in the ranges
 * core/experiments/settings.ts reads them with (C above 0, not at it).
 */
export function FitFields({ seed, C, bootstrap, patch }: { seed: number; C: number; bootstrap: number; patch(p: { seed?: number; C?: number; bootstrap?: number }): void }) {
  return (
    <>
      <NumberField label="Seed" integer min={0} max={2 ** 32 - 1} value={seed} onChange={(v) => patch({ seed: v })} />
      <NumberField label="C (inverse L2)" above={0} step={0.1} value={C} onChange={(v) => patch({ C: v })} />
      <NumberField label="Bootstrap iterations" integer min={0} max={100_000} step={100} value={bootstrap} onChange={(v) => patch({ bootstrap: v })} />
    </>
  );
}

/** A run's progress with its Cancel button, as both arms show it. */
export function RunProgress({ done, total, what, onCancel }: { done: number; total: number; what: string; onCancel?: () => void }) {
  return (
    <Stack gap={4}>
      <Progress value={(100 * done) / Math.max(1, total)} aria-label="Experiment progress" />
      <Group justify="space-between">
        <Text size="sm">
          {what} {done} of {total}
        </Text>
        {onCancel && (
          <Button size="xs" variant="default" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** Quality of the synthetic set against a real one, and the augmentation experiment (classification or segmentation) in a worker. */
export function ExperimentPanel({ modelsReady }: { modelsReady: boolean }) {
  const s = useExperiment();
  const segBusy = useSegExperiment((seg) => Boolean(seg.progress || seg.loading));
  return (
    <Panel title="Quality and augmentation experiment">
      <Stack gap="md">
        <Group gap="sm" align="flex-end">
          <Button variant="default" onClick={() => void computeDiversity()} disabled={Boolean(s.busy)}>
            Diversity per prompt (MS-SSIM)
          </Button>
          <NativeSelect
            label="Task"
            value={s.task}
            onChange={(e) => s.patch({ task: e.currentTarget.value as ExperimentTask })}
            disabled={Boolean(s.busy || s.loading || segBusy)}
            data={[
              { value: 'classification', label: "classification (the classifier's features)" },
              { value: 'segmentation', label: "segmentation (the segmenter's lung masks)" },
            ]}
          />
        </Group>
        {s.diversity && (
          <div className="table-scroll">
            <Table withTableBorder striped data-testid="diversity">
              <Table.Thead>
                <Table.Tr><Table.Th>Prompt</Table.Th><Table.Th>images</Table.Th><Table.Th>mean pairwise MS-SSIM (lower = more diverse)</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.diversity.map((d) => (
                  <Table.Tr key={d.key}><Table.Td>{d.key}</Table.Td><Table.Td>{d.images}</Table.Td><Table.Td>{d.meanMsSsim.toFixed(3)}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {s.task === 'segmentation' ? <SegExperimentPanel modelsReady={modelsReady} /> : <ClassificationExperiment modelsReady={modelsReady} />}
      </Stack>
    </Panel>
  );
}

/** The classification arm: classifier features of a real set, FID, and the logistic head on features. */
function ClassificationExperiment({ modelsReady }: { modelsReady: boolean }) {
  const s = useExperiment();
  const pickDisabled = !modelsReady || Boolean(s.loading);
  return (
    <>
      <Text size="sm" c="dimmed">
        This fits a logistic head on the bundle&apos;s own frozen classifier features, so it shows whether the kept images move that head; no end-to-end gain can appear here (the
        features already learnt the real data). The end-to-end experiment is issue 22: RESULTS.md in the repository.
      </Text>
      <RealSetPicker columns="file, label, split = train/test" disabled={pickDisabled} dropTestId="real-set-drop" onEntries={(entries) => void loadRealSet(entries)} />
      {s.loading && <RunProgress done={s.loading.done} total={s.loading.total} what="features" />}
      {s.realSet && (
        <Group gap="sm">
          <Text size="sm">
            {s.realSet.name}: classes {s.realSet.classes.join(', ')}; {s.realSet.train.labels.length} training and {s.realSet.test.labels.length} test images.
          </Text>
          <Button size="xs" variant="light" onClick={() => void computeFid()} disabled={Boolean(s.busy)}>
            FID of the kept synthetic images vs this set
          </Button>
          {s.fid !== undefined && <Text size="sm" fw={600}>FID {s.fid.toFixed(2)} (classifier features)</Text>}
        </Group>
      )}
      <div className="curate-fields">
        <TextInput label="Real training sizes" value={s.sizes} onChange={(e) => s.patch({ sizes: e.currentTarget.value })} />
        <TextInput label="Synthetic ratios" value={s.ratios} onChange={(e) => s.patch({ ratios: e.currentTarget.value })} />
        <FitFields seed={s.seed} C={s.C} bootstrap={s.bootstrap} patch={s.patch} />
      </div>
      {s.busy === 'experiment' ? (
        <RunProgress done={s.progress?.done ?? 0} total={s.progress?.total ?? 1} what="runs" onCancel={cancelExperiment} />
      ) : (
        <Group>
          <Button onClick={() => void runBrowserExperiment()} disabled={!s.realSet || Boolean(s.busy)}>
            Run the experiment
          </Button>
        </Group>
      )}
      {s.rows && (
        <>
          <Text size="sm">
            {s.syntheticUsed} kept synthetic image{s.syntheticUsed === 1 ? '' : 's'} with a class of the real set were available; a ratio asks for ratio × size of them, capped at that.
          </Text>
          <ExperimentPlot points={s.rows.map((r) => ({ ...r, score: r.f1 }))} metric="F1" />
          <ExperimentTable rows={s.rows} score={(r) => r.f1} metric="F1" testId="experiment-rows" />
        </>
      )}
    </>
  );
}
