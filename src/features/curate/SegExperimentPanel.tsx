import { Button, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { NumberField } from '../../ui/NumberField.tsx';
import { useActiveBundleId, useManifest } from '../models/queries.ts';
import { useCurate } from './curateStore.ts';
import { FitFields, RunProgress } from './ExperimentPanel.tsx';
import { formatInterval as ci } from '../../core/metrics/bootstrap.ts';
import { ExperimentPlot, ExperimentTable, plotLow } from './ExperimentPlot.tsx';
import { RealSetPicker } from './RealSetPicker.tsx';
import { cancelSegExperiment, keptSyntheticPairs, loadSegRealSet, runBrowserSegExperiment } from './segExperimentActions.ts';
import { useSegExperiment } from './segExperimentStore.ts';

/** The segmentation arm of the augmentation experiment: a per-pixel head on the frozen segmenter, as `augment-experiment --task segmentation`. */
export function SegExperimentPanel({ modelsReady }: { modelsReady: boolean }) {
  const s = useSegExperiment();
  const manifest = useManifest(useActiveBundleId());
  const channels = (manifest.data?.models.segmenter?.channels ?? []).map((c) => c.name);
  const syntheticCount = useCurate((c) => keptSyntheticPairs(c).length);
  const busy = Boolean(s.progress || s.loading);
  const pickDisabled = !modelsReady || busy || channels.length === 0;
  const r = s.result;
  return (
    <>
      <Text size="sm" c="dimmed">
        This fits a per-pixel head on the bundle&apos;s own frozen segmenter, so it shows whether the kept pairs move that head; no end-to-end gain can appear here (the segmenter
        already learnt the real masks). The end-to-end experiment is issue 22: RESULTS.md in the repository.
      </Text>
      <RealSetPicker columns="file, mask, split = train/test" disabled={pickDisabled} dropTestId="seg-real-set-drop" onEntries={(entries) => void loadSegRealSet(entries, channels)} />
      {s.loading && <RunProgress done={s.loading.done} total={s.loading.total} what="checking pairs" />}
      {s.realSet && (
        <Group gap="sm" align="flex-end" data-testid="seg-real-set">
          <Text size="sm">
            {s.realSet.name}: {s.realSet.train.length} training and {s.realSet.test.length} test (image, mask) pairs.
          </Text>
          <NativeSelect label="Channel" value={s.channel} onChange={(e) => s.patch({ channel: e.currentTarget.value, result: undefined })} data={channels} />
        </Group>
      )}
      <Text size="sm" data-testid="seg-synthetic-count">
        {syntheticCount === 0
          ? 'No kept synthetic image has a conditioning mask: generate with a mask, score, and keep some.'
          : `${syntheticCount} kept synthetic image${syntheticCount === 1 ? ' has' : 's have'} a conditioning mask; a ratio asks for ratio × size of them, capped at that.`}
      </Text>
      <div className="curate-fields">
        <TextInput label="Real training sizes" value={s.sizes} onChange={(e) => s.patch({ sizes: e.currentTarget.value })} />
        <TextInput label="Synthetic ratios" value={s.ratios} onChange={(e) => s.patch({ ratios: e.currentTarget.value })} />
        <NumberField label="Pixels per image" integer min={1} value={s.pixels} onChange={(v) => s.patch({ pixels: v })} />
        <FitFields seed={s.seed} C={s.C} bootstrap={s.bootstrap} patch={s.patch} />
        <TextInput label="Test limit (first N test pairs)" value={s.testLimit} placeholder="all" onChange={(e) => s.patch({ testLimit: e.currentTarget.value })} />
      </div>
      {s.progress ? (
        <RunProgress done={s.progress.done} total={s.progress.total} what={s.progress.stage === 'segment' ? 'segmenting image' : 'run'} onCancel={cancelSegExperiment} />
      ) : (
        <Group>
          <Button onClick={() => void runBrowserSegExperiment()} disabled={!s.realSet || !s.channel || syntheticCount === 0 || busy}>
            Run the experiment
          </Button>
        </Group>
      )}
      {r && (
        <>
          <Text size="sm" data-testid="seg-frozen" data-frozen={JSON.stringify(r.frozen)}>
            Channel {r.channel}; {r.counts.real} real training, {r.counts.synthetic} of {r.syntheticAvailable} synthetic and {r.counts.test} test pairs segmented.
            Frozen segmenter alone: test Dice {ci(r.frozen)}.
          </Text>
          <ExperimentPlot
            points={r.rows.map((row) => ({ ...row, score: row.dice }))}
            metric="Dice"
            floor={Math.floor(Math.min(plotLow(r.frozen), ...r.rows.map((row) => plotLow(row.dice))) * 20) / 20}
            reference={{ label: 'frozen', value: r.frozen.estimate }}
          />
          <ExperimentTable rows={r.rows} score={(row) => row.dice} metric="Dice" testId="seg-experiment-rows" />
        </>
      )}
    </>
  );
}
