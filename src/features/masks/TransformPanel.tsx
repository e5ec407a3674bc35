import { Button, Checkbox, Group, Paper, Stack, Title } from '@mantine/core';
import { IDENTITY_TRANSFORM, type MaskTransform } from '../../core/mask/transform.ts';
import { NumberField } from '../../ui/NumberField.tsx';
import { applyTransform } from './editActions.ts';
import { useMasks } from './maskStore.ts';

type NumericKey = 'rotateDeg' | 'scaleX' | 'scaleY' | 'translateX' | 'translateY' | 'shearX' | 'shearY';

const SLIDERS: { key: NumericKey; label: string; min: number; max: number; step: number }[] = [
  { key: 'rotateDeg', label: 'Rotate (°)', min: -180, max: 180, step: 1 },
  { key: 'scaleX', label: 'Scale X', min: 0.5, max: 2, step: 0.01 },
  { key: 'scaleY', label: 'Scale Y', min: 0.5, max: 2, step: 0.01 },
  { key: 'translateX', label: 'Translate X (px)', min: -64, max: 64, step: 1 },
  { key: 'translateY', label: 'Translate Y (px)', min: -64, max: 64, step: 1 },
  { key: 'shearX', label: 'Shear X', min: -0.5, max: 0.5, step: 0.01 },
  { key: 'shearY', label: 'Shear Y', min: -0.5, max: 0.5, step: 0.01 },
];

const DEFAULT_ELASTIC = { strength: 4, smoothness: 32, seed: 1 };

/** Transform controls; the canvas previews the result live until it is applied. */
export function TransformPanel() {
  const transform = useMasks((s) => s.transform);
  const set = (patch: Partial<MaskTransform>) => useMasks.getState().set({ transform: { ...useMasks.getState().transform, ...patch } });
  const elastic = transform.elastic;
  const setElastic = (patch: Partial<typeof DEFAULT_ELASTIC>) => set({ elastic: { ...(elastic ?? DEFAULT_ELASTIC), ...patch } });

  return (
    <Paper withBorder radius="md" p="md" className="mask-transform" component="section" aria-label="Transform">
      <Title order={3} size="h5" mb="xs">
        Transform <span className="title-note">(live preview)</span>
      </Title>
      <Stack gap={6}>
        {SLIDERS.map((s) => (
          <div key={s.key} className="transform-row">
            <span className="transform-label">{s.label}</span>
            <input type="range" className="range-input" aria-label={`${s.label} slider`} min={s.min} max={s.max} step={s.step} value={transform[s.key]} onChange={(e) => set({ [s.key]: Number(e.target.value) })} />
            <NumberField size="xs" hideControls aria-label={s.label} min={s.min} max={s.max} step={s.step} value={transform[s.key]} onChange={(v) => set({ [s.key]: v })} />
          </div>
        ))}
      </Stack>
      <Group gap="md" mt="sm">
        <Checkbox size="xs" label="Flip left-right" checked={transform.flipX} onChange={(e) => set({ flipX: e.currentTarget.checked })} />
        <Checkbox size="xs" label="Flip up-down" checked={transform.flipY} onChange={(e) => set({ flipY: e.currentTarget.checked })} />
        <Checkbox size="xs" label="Elastic" aria-label="Elastic" checked={elastic !== null} onChange={(e) => set({ elastic: e.currentTarget.checked ? DEFAULT_ELASTIC : null })} />
      </Group>
      {elastic && (
        <div className="elastic-fields">
          <NumberField size="xs" label="Strength (px)" aria-label="Elastic strength" min={0} max={30} step={0.5} value={elastic.strength} onChange={(strength) => setElastic({ strength })} />
          <NumberField size="xs" label="Smoothness (px)" aria-label="Elastic smoothness" min={4} max={256} step={1} value={elastic.smoothness} onChange={(smoothness) => setElastic({ smoothness })} />
          <NumberField size="xs" label="Seed" aria-label="Elastic seed" integer min={0} value={elastic.seed} onChange={(seed) => setElastic({ seed })} />
        </div>
      )}
      <Group gap="xs" mt="md">
        <Button size="xs" onClick={applyTransform}>
          Apply transform
        </Button>
        <Button size="xs" variant="default" onClick={() => useMasks.getState().set({ transform: IDENTITY_TRANSFORM })}>
          Reset
        </Button>
      </Group>
    </Paper>
  );
}
