import { Checkbox, Group, NativeSelect, Stack } from '@mantine/core';
import { NumberField } from '../../ui/NumberField.tsx';
import { Panel } from '../../ui/PageLayout.tsx';
import { useEvaluate } from './evaluateStore.ts';

/** The run's settings: threshold, the empty-ground-truth rule, zero division, HD95 and bootstrap resamples. */
export function OptionsPanel() {
  const { settings, set } = useEvaluate();
  return (
    <Panel title="Options">
      <Stack gap="sm">
        <Group gap="sm" grow align="flex-start">
          <NumberField label="Threshold" description="p ≥ this is positive" data-testid="threshold" min={0} max={1} step={0.05} value={settings.threshold} onChange={(threshold) => set({ settings: { ...settings, threshold } })} />
          <NumberField label="Bootstrap" description="resamples for the CIs" integer min={100} max={100_000} step={100} value={settings.bootstrap.iterations} onChange={(iterations) => set({ settings: { ...settings, bootstrap: { ...settings.bootstrap, iterations } } })} />
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
