import { Checkbox, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { looksMultiLabel } from '../../core/evaluation/labelSets.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { DropZone } from '../../ui/DropZone.tsx';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { Panel } from '../../ui/PageLayout.tsx';
import { dropTestSet, pickFiles, pickLabels } from './actions.ts';
import { useEvaluate, type PickedFiles } from './evaluateStore.ts';

/** " in images.zip" when the files came from a zip; a folder's or a selection's files need no more words. */
const fromZip = (picked: PickedFiles) => (picked.source.kind === 'zip' ? ` in ${picked.label}` : '');

const IMAGE_TYPES = '.png,.jpg,.jpeg,.dcm,.zip,application/dicom';

/** One kind of input in the drop zone: its name, the pickers, and what was picked. */
function PickerRow({ title, children, picked, pickedTestId }: { title: string; children: React.ReactNode; picked?: string; pickedTestId?: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      <Group gap="xs">{children}</Group>
      {picked && (
        <Text size="xs" c="dimmed" data-testid={pickedTestId}>
          {picked}
        </Text>
      )}
    </Stack>
  );
}

/** The test set: images (folder, files or zip), labels CSV with its column mapping, masks (folder, files or zip), picked or dropped. */
export function InputsPanel({ manifest }: { manifest: Manifest | undefined }) {
  const { images, masks, labels, mapping, split, labelMap, multiLabel, channel, dropNote, set } = useEvaluate();
  const multiLabelShown = multiLabel ?? (mapping.label ? looksMultiLabel(labels?.table.rows.map((r) => r[mapping.label!]) ?? []) : false);
  const columns = labels?.table.columns ?? [];
  const splits = mapping.split ? [...new Set(labels?.table.rows.map((r) => r[mapping.split!]))] : [];
  const channels = manifest?.models.segmenter?.channels ?? [];
  const columnSelect = (role: 'file' | 'label' | 'split') => (
    <NativeSelect
      label={`${role[0].toUpperCase()}${role.slice(1)} column`}
      data-testid={`column-${role}`}
      value={mapping[role] ?? ''}
      data={[{ value: '', label: '(none)' }, ...columns]}
      onChange={(e) => set({ mapping: { ...mapping, [role]: e.currentTarget.value || undefined }, ...(role === 'split' ? { split: undefined } : {}) })}
    />
  );
  return (
    <Panel title="Test set">
      <Stack gap="sm">
        <DropZone label="Test set: drop files, a zip or a folder" testId="test-set-drop" onDrop={(dropped) => void dropTestSet(dropped)}>
          <Text size="xs" c="dimmed">
            Drop files, a zip or a folder (images/, masks/, labels.csv) here, or choose them. They are read in this tab; nothing is uploaded.
          </Text>
          <PickerRow title="Images" picked={images && `${images.names.length} image file(s)${fromZip(images)}`} pickedTestId="images-count">
            <FilePicker inputLabel="Images folder" testId="images-folder" directory multiple size="xs" onFiles={(files) => void pickFiles(files, 'images')}>
              Folder…
            </FilePicker>
            <FilePicker inputLabel="Image files or one zip" testId="images-files" multiple accept={IMAGE_TYPES} size="xs" onFiles={(files) => void pickFiles(files, 'images')}>
              Files or zip…
            </FilePicker>
          </PickerRow>
          <PickerRow title="Labels CSV (optional)" picked={labels && `${labels.name}: ${labels.table.rows.length} row(s)`}>
            <FilePicker inputLabel="Labels CSV" testId="labels-file" accept=".csv,.tsv,.txt" size="xs" onFiles={(files) => void pickLabels(files[0])}>
              CSV file…
            </FilePicker>
          </PickerRow>
          <PickerRow title="Lung masks (optional)" picked={masks && `${masks.names.length} mask file(s)${fromZip(masks)}`}>
            <FilePicker inputLabel="Masks folder" testId="masks-folder" directory multiple size="xs" onFiles={(files) => void pickFiles(files, 'masks')}>
              Folder…
            </FilePicker>
            <FilePicker inputLabel="Mask files or one zip" testId="masks-files" multiple accept=".png,.zip" size="xs" onFiles={(files) => void pickFiles(files, 'masks')}>
              Files or zip…
            </FilePicker>
          </PickerRow>
          {dropNote && <Text size="xs" c="dimmed" data-testid="drop-note">{dropNote}</Text>}
        </DropZone>
        {labels && (
          <>
            {columnSelect('file')}
            {columnSelect('label')}
            {columnSelect('split')}
            {splits.length > 0 && (
              <NativeSelect label="Split" data-testid="split" value={split ?? ''} data={[{ value: '', label: '(all rows)' }, ...splits]} onChange={(e) => set({ split: e.currentTarget.value || undefined })} />
            )}
            <TextInput label="Label map" description="dataset label = model class, comma-separated" data-testid="label-map" placeholder="No Finding=normal, Pneumonia=pneumonia" value={labelMap} onChange={(e) => set({ labelMap: e.currentTarget.value })} />
            {mapping.label && (
              <Checkbox
                data-testid="multi-label"
                checked={multiLabelShown}
                onChange={(e) => set({ multiLabel: e.currentTarget.checked })}
                label={`Labels are sets (multi-label${multiLabel === undefined ? ', guessed from the cells' : ''})`}
                description={'Cells like "Effusion|Pneumonia" or "COVID-19, ARDS": every class with p ≥ threshold is predicted'}
              />
            )}
          </>
        )}
        {masks && channels.length > 1 && (
          <NativeSelect label="Compare masks with channel" data-testid="channel" value={String(channel)} data={channels.map((c, i) => ({ value: String(i), label: c.name }))} onChange={(e) => set({ channel: Number(e.currentTarget.value) })} />
        )}
      </Stack>
    </Panel>
  );
}
