import { Button, NativeSelect, Slider, Stack, Switch, Text } from '@mantine/core';
import { Panel } from '../../ui/PageLayout.tsx';
import { useAnalyze } from './analyzeStore.ts';

/** A slider with its label and value above it (Mantine's Slider names its thumb with `thumbLabel`). */
function LabelledSlider({ label, value, shown, ...slider }: { label: string; value: number; shown: string; min: number; max: number; step: number; onChange: (value: number) => void }) {
  return (
    <div>
      <Text size="sm" fw={500} className="slider-label">
        {label} <span className="slider-value">{shown}</span>
      </Text>
      <Slider value={value} thumbLabel={label} label={null} {...slider} />
    </div>
  );
}

/** Window/level and mask overlay controls. */
export function ViewControls() {
  const { image, window, valueRange, setWindow, result, overlay, setOverlay } = useAnalyze();
  if (!image) return null;
  const [min, max] = valueRange;
  const span = Math.max(max - min, 1);
  const channels = result?.segmentation?.channels ?? [];
  return (
    <Panel title="View" actions={<Button size="compact-xs" variant="subtle" onClick={() => setWindow(image.window)}>Reset window</Button>}>
      <Stack gap="sm">
        <LabelledSlider label="Window level" shown={String(Math.round(window.center))} min={min} max={max} step={span / 512} value={window.center} onChange={(center) => setWindow({ ...window, center })} />
        <LabelledSlider label="Window width" shown={String(Math.round(window.width))} min={1} max={span * 2} step={span / 512} value={window.width} onChange={(width) => setWindow({ ...window, width })} />
        {channels.length > 0 && (
          <>
            <Switch label="Show mask" checked={overlay.visible} onChange={(e) => setOverlay({ visible: e.currentTarget.checked })} />
            <LabelledSlider label="Mask opacity" shown={`${Math.round(overlay.opacity * 100)}%`} min={0} max={1} step={0.05} value={overlay.opacity} onChange={(opacity) => setOverlay({ opacity })} />
            {channels.length > 1 && (
              <NativeSelect label="Mask channel" value={String(overlay.channel)} onChange={(e) => setOverlay({ channel: Number(e.currentTarget.value) })}>
                {channels.map((c, i) => (
                  <option key={c.name} value={i} title={c.convention}>
                    {c.name}
                  </option>
                ))}
              </NativeSelect>
            )}
          </>
        )}
      </Stack>
    </Panel>
  );
}
