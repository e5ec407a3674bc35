import { Checkbox, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { Panel } from '../../ui/PageLayout.tsx';
import { useEvaluate } from './evaluateStore.ts';

/** The run's settings: threshold, the empty-ground-truth rule, zero division, HD95 and bootstrap resamples. */
export function OptionsPanel() {
  const { settings, set } = useEvaluate();
  return (
    <Panel title="Options">
      <Stack gap="sm">
        <Group gap="sm" grow align="flex-start">
          <TextInput label="Threshold" description="p ≥ this is positive" data-testid="threshold" type="number" min={0} max={1} step={0.05} value={settings.threshold} onChange={(e) => set({ settings: { ...settings, threshold: Number(e.currentTarget.value) } })} />
          <TextInput label="Bootstrap" description="resamples for the CIs" type="number" min={100} step={100} value={settings.bootstrap.iterations} onChange={(e) => set({ settings: { ...settings, bootstrap: { ...settings.bootstrap, iterations: Number(e.currentTarget.value) } } })} />
        </Group>
        <NativeSelect
          label="Empty ground truth"
          data-testid="empty-truth"
          value={settings.emptyTruth}
          data={[
            { value: 'empty-is-one', label: 'both empty = 1' },
            { value: 'ignore-empty', label: 'skip (MONAI ignore_empty)' },
          ]}
          onChange={(e) => set({ settings: { ...settings, emptyTruth: e.currentTarget.value as typeof settings.emptyTruth } })}
        />
        <NativeSelect label="Zero division" description="precision, recall or F1 when nothing is predicted or present" value={String(settings.zeroDivision)} data={['0', '1']} onChange={(e) => set({ settings: { ...settings, zeroDivision: Number(e.currentTarget.value) as 0 | 1 } })} />
        <Checkbox data-testid="hd95" label="HD95 (slower)" description="95th-percentile Hausdorff distance of each mask" checked={Boolean(settings.hd95)} onChange={(e) => set({ settings: { ...settings, hd95: e.currentTarget.checked } })} />
      </Stack>
    </Panel>
  );
}
