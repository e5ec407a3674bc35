import { ActionIcon, Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useEffect } from 'react';
import { measuredPromptAdherence } from '../../core/manifest/promptAdherence.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { MAX_GUIDANCE } from '../../core/pipelines/generate.ts';
import { SCHEDULER_LABELS, SCHEDULER_NAMES } from '../../core/schedulers/index.ts';
import type { SchedulerName } from '../../core/schedulers/types.ts';
import { promptExamples } from '../../core/text/promptTemplate.ts';
import { DieIcon } from '../../ui/DieIcon.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { Panel } from '../../ui/PageLayout.tsx';
import { runBatch } from './actions.ts';
import { useGenerate } from './generateStore.ts';
import { MaskPicker } from './MaskPicker.tsx';
import { SamplingPresets, UnetChoice } from './SamplingPresets.tsx';
import { useBundleDefaults } from './useBundleDefaults.ts';

const MAX_BATCH = 16;

/** The left panel: what to make (prompt, mask), how (sampling), which seeds, and the Generate button. */
export function GenerateForm({ manifest, ready }: { manifest: Manifest; ready: boolean }) {
  const settings = useGenerate((s) => s.settings);
  const running = useGenerate((s) => Boolean(s.run));
  const update = useGenerate((s) => s.update);
  const rollSeed = useGenerate((s) => s.rollSeed);
  useBundleDefaults(manifest);
  const staleUnet = settings.unet === 'unet_guided' && !manifest.models.unet_guided;
  useEffect(() => {
    if (staleUnet) update({ unet: 'unet' }); // a form kept from a bundle with the one-pass UNet
  }, [staleUnet, update]);

  const examples = manifest.prompt ? promptExamples(manifest.prompt) : [];
  const adherence = measuredPromptAdherence(manifest, settings.prompt);
  const lastSeed = (settings.seed + settings.batchSize - 1) >>> 0;
  const negativeGiven = settings.negativePrompt.trim() !== '';
  const onePass = settings.unet === 'unet_guided';

  return (
    <form
      className="generate-form"
      onSubmit={(e) => {
        e.preventDefault();
        void runBatch(manifest);
      }}
    >
      <Stack gap="md">
        <Panel title="What to make">
          <Stack gap="sm">
            <TextInput label="Prompt" aria-label="Prompt" list="prompt-examples" value={settings.prompt} onChange={(e) => update({ prompt: e.currentTarget.value })} />
            <datalist id="prompt-examples">
              {examples.map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
            {adherence && (
              <Text size="xs" className={adherence.adherence < 0.5 ? 'warning' : undefined} c={adherence.adherence < 0.5 ? undefined : 'dimmed'} data-testid="prompt-adherence">
                Model card: {Math.round(adherence.adherence * 100)}% of images this model made for <b>{adherence.finding}</b> prompts were read as {adherence.finding} by its classifier
                {adherence.adherence < 0.5 ? '. Expect chest X-rays that do not show the finding.' : '.'}
              </Text>
            )}
            {examples.length > 0 && (
              <NativeSelect
                label="Examples"
                aria-label="Prompt examples"
                value=""
                onChange={(e) => e.currentTarget.value && update({ prompt: e.currentTarget.value })}
                data={[{ value: '', label: 'choose an example prompt…' }, ...examples]}
              />
            )}
            <TextInput
              label="Negative prompt"
              aria-label="Negative prompt"
              description={`Guidance steers away from this as well as towards the prompt. Needs guidance above 1${manifest.models.unet_guided ? ' and the two-pass UNet' : ''}.`}
              list="prompt-examples"
              value={settings.negativePrompt}
              placeholder="optional, e.g. chest x-ray, pneumonia"
              onChange={(e) => update({ negativePrompt: e.currentTarget.value })}
            />
            {negativeGiven && onePass && (
              <Alert color="yellow" role="alert" p="xs">
                <Text size="xs">The one-pass UNet has no unconditional pass, so a negative prompt has nothing to act on: clear it or choose the two-pass UNet under Sampling.</Text>
              </Alert>
            )}
            {negativeGiven && !onePass && settings.guidance === 1 && (
              <Alert color="yellow" role="alert" p="xs">
                <Text size="xs">Guidance 1 has no unconditional pass, so a negative prompt has nothing to act on: set guidance above 1 or clear it.</Text>
              </Alert>
            )}
          </Stack>
        </Panel>
        <MaskPicker manifest={manifest} />
        <Panel title="Sampling">
          <Stack gap="sm">
            <SamplingPresets manifest={manifest} />
            <div className="form-row">
              <NumberField label="Steps" aria-label="Steps" integer min={1} max={manifest.diffusion?.num_train_timesteps ?? 1000} value={settings.steps} onChange={(steps) => update({ steps })} />
              <NumberField label="Guidance" aria-label="Guidance" min={0} max={MAX_GUIDANCE} step={0.5} value={settings.guidance} onChange={(guidance) => update({ guidance })} />
            </div>
            <NativeSelect
              label="Scheduler"
              aria-label="Scheduler"
              value={settings.scheduler}
              onChange={(e) => update({ scheduler: e.currentTarget.value as SchedulerName })}
              data={SCHEDULER_NAMES.map((n) => ({ value: n, label: SCHEDULER_LABELS[n] }))}
            />
            <UnetChoice manifest={manifest} />
          </Stack>
        </Panel>
        <Panel title="Seeds">
          <div className="form-row">
            <Group gap={6} align="flex-end" wrap="nowrap">
              <NumberField label="Seed" aria-label="Seed" integer min={0} max={0xffffffff} value={settings.seed} onChange={(seed) => update({ seed })} />
              <Tooltip label="Random seed" withArrow>
                <ActionIcon variant="default" size="input-sm" onClick={rollSeed} aria-label="Random seed">
                  <DieIcon />
                </ActionIcon>
              </Tooltip>
            </Group>
            <NumberField label="Batch size" aria-label="Batch size" integer min={1} max={MAX_BATCH} value={settings.batchSize} onChange={(batchSize) => update({ batchSize })} />
          </div>
          <Text size="xs" c="dimmed" mt={6}>
            {settings.batchSize === 1 ? `One image, seed ${settings.seed}` : `${settings.batchSize} images, seeds ${settings.seed}…${lastSeed}`}
          </Text>
        </Panel>
        <Button type="submit" size="md" fullWidth disabled={!ready || running}>
          Generate
        </Button>
      </Stack>
    </form>
  );
}
