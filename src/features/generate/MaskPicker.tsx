import { Group, NativeSelect, Stack, Text } from '@mantine/core';
import { exampleMaskAdherence, type MaskAdherence } from '../../core/manifest/promptAdherence.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { Panel } from '../../ui/PageLayout.tsx';
import { useGenerate } from './generateStore.ts';

/** None, one of the bundle's example masks, or a PNG from disk (read locally, never uploaded). */
export function MaskPicker({ manifest }: { manifest: Manifest }) {
  const mask = useGenerate((s) => s.settings.mask);
  const prompt = useGenerate((s) => s.settings.prompt);
  const update = useGenerate((s) => s.update);
  const examples = manifest.example_masks ?? [];
  const conventions = [...new Set((manifest.diffusion?.mask_channels ?? []).filter((c) => c.kind === 'convention').map((c) => c.value ?? ''))];
  const selected = mask.kind === 'example' ? `example:${mask.file}` : mask.kind;
  const options = [
    { value: 'none', label: 'none (the model chooses the lungs)' },
    ...examples.map((m) => ({ value: `example:${m.file}`, label: `example: ${m.file}` })),
    ...(mask.kind === 'file' ? [{ value: 'file', label: `file: ${mask.name}` }] : []),
    ...(mask.kind === 'batch' ? [{ value: 'batch', label: `from the Masks page: ${mask.items.length} mask${mask.items.length === 1 ? '' : 's'}` }] : []),
  ];

  return (
    <Panel title="Lung mask">
      <Stack gap="sm">
        <NativeSelect
          aria-label="Mask"
          value={selected}
          data={options}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value === 'none') update({ mask: { kind: 'none' } });
            const example = examples.find((m) => `example:${m.file}` === value);
            if (example) update({ mask: { kind: 'example', file: example.file, layer: example.layer, ...(example.convention ? { convention: example.convention } : {}) } });
          }}
        />
        <MaskAdherenceNote measured={exampleMaskAdherence(manifest, mask.kind === 'example' ? mask.file : undefined, prompt)} bundle={manifest.id} />
        <Group gap="xs" wrap="nowrap">
          <FilePicker inputLabel="Mask PNG" accept=".png,image/png" size="xs" onFiles={([file]) => void file.arrayBuffer().then((buffer) => update({ mask: { kind: 'file', name: file.name, bytes: new Uint8Array(buffer) } }))}>
            PNG from disk…
          </FilePicker>
          <Text size="xs" c="dimmed">
            read on this machine, never uploaded
          </Text>
        </Group>
        {mask.kind === 'file' && conventions.length > 0 && (
          <NativeSelect
            label="Drawn as"
            aria-label="Mask convention"
            value={mask.convention ?? ''}
            onChange={(e) => update({ mask: { ...mask, convention: e.currentTarget.value || undefined } })}
            data={[{ value: '', label: 'unspecified' }, ...conventions]}
          />
        )}
      </Stack>
    </Panel>
  );
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** What this example mask did to the prompted finding when it was measured; a warning when the bundle's classifier saw the finding in under half. */
function MaskAdherenceNote({ measured, bundle }: { measured: MaskAdherence | null; bundle: string }) {
  if (!measured) return null;
  const { finding, own, others, mask } = measured;
  const low = own !== null && own < 0.5;
  const judges = [...(own !== null ? [`${percent(own)} by ${bundle}'s classifier`] : []), ...others.map((o) => `${percent(o.adherence)} by ${o.judge}'s`)];
  return (
    <Text size="xs" className={low ? 'warning' : undefined} c={low ? undefined : 'dimmed'} data-testid="mask-adherence">
      With this mask{mask.convention ? ` (${mask.convention} convention)` : ''}, images made for <b>{finding}</b> were read as {finding}: {judges.join(', ')} ({measured.seeds} per
      example prompt, {measured.settings}).{low ? ' This mask pulls the images away from the prompt; another mask may follow it better.' : ''}
    </Text>
  );
}
