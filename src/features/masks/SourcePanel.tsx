import { Button, Group, NativeSelect, Stack } from '@mantine/core';
import { useState } from 'react';
import type { Manifest } from '../../core/manifest/types.ts';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { Panel } from '../../ui/PageLayout.tsx';
import { useMasks } from './maskStore.ts';
import { importMaskPng, loadExampleMask, openReference, segmentReference, startBlank } from './sources.ts';

const CONVENTION_OF: Record<string, string> = { lung: 'v7', lung_shenzhen: 'shenzhen' };

/** Where a mask starts from: blank, the bundle's example masks, a PNG, or the segmenter's mask of an X-ray. */
export function SourcePanel({ manifest, segmenterReady }: { manifest: Manifest | undefined; segmenterReady: boolean }) {
  const reference = useMasks((s) => s.reference);
  const channels = manifest?.models.segmenter?.channels ?? [{ name: 'lung' }];
  const [channel, setChannel] = useState(0);
  const examples = manifest?.example_masks ?? [];

  return (
    <Panel title="Start from">
      <Stack gap="sm">
        <NativeSelect
          label="Example mask"
          aria-label="Example mask"
          value=""
          onChange={(e) => manifest && e.currentTarget.value && void loadExampleMask(manifest, e.currentTarget.value)}
          data={[{ value: '', label: 'choose an example mask…' }, ...examples.map((m) => ({ value: m.file, label: `${m.file} (${m.layer}${m.convention ? `, ${m.convention}` : ''})` }))]}
        />
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={startBlank}>
            Blank
          </Button>
          <FilePicker inputLabel="Import mask PNG" accept=".png,image/png" size="xs" onFiles={([file]) => void importMaskPng(file)}>
            Import PNG…
          </FilePicker>
          <FilePicker inputLabel="Reference X-ray" accept=".png,.jpg,.jpeg,.dcm,image/png,image/jpeg,application/dicom" size="xs" onFiles={([file]) => void openReference(file)}>
            Reference X-ray…
          </FilePicker>
        </Group>
        {reference && (
          <Stack gap="xs" className="mask-reference">
            <NativeSelect
              label={`Segmenter channel for ${reference.name}`}
              aria-label="Segmenter channel"
              value={String(channel)}
              onChange={(e) => setChannel(Number(e.currentTarget.value))}
              data={channels.map((c, i) => ({ value: String(i), label: c.name }))}
            />
            <Group gap="xs">
              <Button size="xs" disabled={!segmenterReady} onClick={() => void segmentReference(channel, CONVENTION_OF[channels[channel]?.name ?? ''])}>
                {segmenterReady ? 'Use segmenter mask' : 'Loading segmenter…'}
              </Button>
              <Button size="xs" variant="subtle" onClick={() => useMasks.getState().set({ reference: undefined })}>
                Hide X-ray
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Panel>
  );
}
