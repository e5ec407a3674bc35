import { Button, NativeSelect, Stack, Text, Tooltip } from '@mantine/core';
import { matchesPreset, presetSettings, samplingPresets } from '../../core/generation/request.ts';
import type { Manifest, SamplingPreset, UnetRole } from '../../core/manifest/types.ts';
import { SCHEDULER_LABELS, type SchedulerName } from '../../core/schedulers/index.ts';
import { useGenerate } from './generateStore.ts';

const schedulerLabel = (scheduler: string) => SCHEDULER_LABELS[scheduler as SchedulerName] ?? scheduler;

/** "Draft: DDIM, 4 steps, one pass, 0.9 s": what the preset does and, when measured, how long it takes. */
function presetText(preset: SamplingPreset): string {
  const parts = [`${schedulerLabel(preset.scheduler)}`, `${preset.steps} steps`];
  if (preset.unet === 'unet_guided') parts.push('one pass');
  if (preset.seconds_wasm !== undefined) parts.push(`${preset.seconds_wasm.toFixed(1)} s`);
  return `${preset.label ?? preset.name}: ${parts.join(', ')}`;
}

/**
 * The manifest's sampling presets, one click each: its `diffusion.presets`, or for a
 * bundle without them its fast settings and defaults. A preset's `measured` is its tooltip.
 */
export function SamplingPresets({ manifest }: { manifest: Manifest }) {
  const settings = useGenerate((s) => s.settings);
  const update = useGenerate((s) => s.update);
  const presets = samplingPresets(manifest);
  if (presets.length === 0) return null;
  const timed = presets.some((p) => p.seconds_wasm !== undefined);
  return (
    <div data-testid="fast-settings">
      <Text size="sm" fw={500} mb={4}>
        Presets <Text span size="xs" c="dimmed">{timed ? 'seconds per image measured without a GPU (WASM, 2 cores); hover for quality' : 'no GPU? fewer steps are faster'}</Text>
      </Text>
      <Stack gap={6}>
        {presets.map((preset) => {
          const button = (
            <Button key={preset.name} variant={matchesPreset(settings, preset) ? 'light' : 'default'} size="xs" fullWidth onClick={() => update(presetSettings(preset))}>
              {presetText(preset)}
            </Button>
          );
          return preset.measured ? (
            <Tooltip key={preset.name} label={preset.measured} multiline w={280} withArrow events={{ hover: true, focus: true, touch: false }}>
              {button}
            </Tooltip>
          ) : button;
        })}
      </Stack>
    </div>
  );
}

/** Which UNet denoises, offered only when the bundle ships the one-pass student (issue 18). */
export function UnetChoice({ manifest }: { manifest: Manifest }) {
  const unet = useGenerate((s) => s.settings.unet ?? 'unet');
  const update = useGenerate((s) => s.update);
  if (!manifest.models.unet_guided) return null;
  return (
    <NativeSelect
      label="UNet"
      aria-label="UNet"
      description="The one-pass UNet is distilled from the two-pass one: half the work per step, no negative prompt."
      value={unet}
      onChange={(e) => update({ unet: e.currentTarget.value as UnetRole })}
      data={[
        { value: 'unet', label: 'Two passes per step (guidance as trained)' },
        { value: 'unet_guided', label: 'One pass per step (guidance distilled)' },
      ]}
    />
  );
}
