import { Group, Text } from '@mantine/core';
import { useState } from 'react';
import type { DroppedFile } from '../../core/data/dropRouting.ts';
import { DropZone } from '../../ui/DropZone.tsx';
import { FilePicker } from '../../ui/FilePicker.tsx';
import { withPaths } from './labelledFolder.ts';

/**
 * The experiment's real set, as the other pages take data: a drop zone for a folder or a
 * zip, holding the two pickers for the keyboard. `columns` names labels.csv's columns.
 */
export function RealSetPicker({ columns, disabled, dropTestId, onEntries }: { columns: string; disabled: boolean; dropTestId: string; onEntries: (entries: DroppedFile<File>[]) => void }) {
  const [refused, setRefused] = useState(false);
  const take = (entries: DroppedFile<File>[]) => {
    setRefused(disabled);
    if (!disabled) onEntries(entries);
  };
  return (
    <DropZone label="Drop a folder with labels.csv, or one zip" testId={dropTestId} onDrop={take}>
      <Text size="sm" fw={500}>Real set: a folder with labels.csv ({columns})</Text>
      <Text size="xs" c="dimmed">
        Drop the folder or one zip of it here, or choose it. It is read in this tab; nothing is uploaded.
      </Text>
      <Group gap="xs">
        <FilePicker inputLabel={`Real set (a folder with labels.csv: ${columns})`} directory size="xs" disabled={disabled} onFiles={(files) => take(withPaths(files))}>
          Choose a folder…
        </FilePicker>
        <FilePicker inputLabel="or the same as one zip" accept=".zip" size="xs" disabled={disabled} onFiles={(files) => take(withPaths(files))}>
          …or one zip
        </FilePicker>
      </Group>
      {refused && (
        <Text size="xs" className="warning" role="status">
          Not read: the models were still loading, or a set was being read. Drop it again once the pickers are enabled.
        </Text>
      )}
    </DropZone>
  );
}
