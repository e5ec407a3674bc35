import { Button, Checkbox, Group, Kbd, Radio, Stack, Text } from '@mantine/core';
import { Panel } from '../../ui/PageLayout.tsx';
import { clearActiveLayer, redo, undo } from './editActions.ts';
import { useMasks, type Tool } from './maskStore.ts';

const TOOLS: { tool: Tool; label: string; key: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B' },
  { tool: 'eraser', label: 'Eraser', key: 'E' },
  { tool: 'polygon', label: 'Polygon', key: 'P' },
  { tool: 'fill', label: 'Flood fill', key: 'F' },
];

/** A labelled native range input (keyboard arrows, and Playwright's fill, work on it as they do on any input). */
function RangeField({ label, value, shown, min, max, step, onChange }: { label: string; value: number; shown: string; min: number; max: number; step?: number; onChange: (value: number) => void }) {
  return (
    <label className="range-field">
      <span className="range-field-label">
        <span>{label}</span>
        <span className="range-field-value">{shown}</span>
      </span>
      <input type="range" className="range-input" min={min} max={max} step={step} value={value} aria-label={label} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
}

/** Tools, brush size, undo/redo; layers; view (opacity, zoom). */
export function EditorToolbar() {
  const tool = useMasks((s) => s.tool);
  const brushSize = useMasks((s) => s.brushSize);
  const history = useMasks((s) => s.history);
  const layerOrder = useMasks((s) => s.layerOrder);
  const styles = useMasks((s) => s.styles);
  const activeLayer = useMasks((s) => s.activeLayer);
  const opacity = useMasks((s) => s.opacity);
  const zoom = useMasks((s) => s.zoom);
  const set = useMasks((s) => s.set);

  return (
    <>
      <Panel title="Draw">
        <Stack gap="sm">
          <div role="group" aria-label="Tools" className="mask-tools">
            {TOOLS.map((t) => (
              <Button
                key={t.tool}
                size="xs"
                variant={tool === t.tool ? 'filled' : 'default'}
                aria-pressed={tool === t.tool}
                onClick={() => set({ tool: t.tool })}
                title={`${t.label} (${t.key})`}
                rightSection={<Kbd size="xs">{t.key}</Kbd>}
                justify="space-between"
              >
                {t.label}
              </Button>
            ))}
          </div>
          <RangeField label="Brush size" value={brushSize} shown={`${brushSize} px`} min={1} max={128} onChange={(value) => set({ brushSize: value })} />
          <Group gap="xs" role="group" aria-label="History">
            <Button size="xs" variant="default" onClick={undo} disabled={history.undo.length === 0} title="Undo (Ctrl+Z)">
              Undo ({history.undo.length})
            </Button>
            <Button size="xs" variant="default" onClick={redo} disabled={history.redo.length === 0} title="Redo (Ctrl+Shift+Z)">
              Redo ({history.redo.length})
            </Button>
            <Button size="xs" variant="subtle" color="red" onClick={clearActiveLayer} title="Clear the active layer (Shift+Delete)">
              Clear {activeLayer}
            </Button>
          </Group>
        </Stack>
      </Panel>
      <Panel title="Layers">
        <Radio.Group value={activeLayer} onChange={(name) => set({ activeLayer: name })} aria-label="Layer to edit">
          <Stack gap="xs">
            {layerOrder.map((name) => (
              <div key={name} className="mask-layer">
                <Radio value={name} label={name} aria-label={`Edit ${name}`} />
                <input type="color" className="colour-input" value={styles[name].colour} aria-label={`${name} colour`} onChange={(e) => set({ styles: { ...styles, [name]: { ...styles[name], colour: e.target.value } } })} />
                <Checkbox size="xs" label="visible" checked={styles[name].visible} aria-label={`Show ${name}`} onChange={(e) => set({ styles: { ...styles, [name]: { ...styles[name], visible: e.currentTarget.checked } } })} />
              </div>
            ))}
          </Stack>
        </Radio.Group>
        <Text size="xs" c="dimmed" mt="xs">
          Drawing goes into the layer picked here.
        </Text>
      </Panel>
      <Panel title="View" actions={<Button size="compact-xs" variant="subtle" onClick={() => set({ zoom: 1, pan: { x: 0, y: 0 } })}>Reset view</Button>}>
        <Stack gap="sm">
          <RangeField label="Overlay opacity" value={opacity} shown={`${Math.round(opacity * 100)}%`} min={0} max={1} step={0.05} onChange={(value) => set({ opacity: value })} />
          <RangeField label="Zoom" value={zoom} shown={`${Math.round(zoom * 100)}%`} min={0.5} max={8} step={0.25} onChange={(value) => set({ zoom: value })} />
        </Stack>
      </Panel>
    </>
  );
}
