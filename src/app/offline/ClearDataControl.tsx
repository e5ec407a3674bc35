import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { clearStudioDataAndReload } from './clearStudioData.ts';
import { useOffline } from './offlineStore.ts';
import { megabytes } from '../../ui/format.ts';

const mb = (bytes: number) => megabytes(bytes, 0);

/** Settings' "Clear cached models and data", with a confirmation step that says what goes. */
export function ClearDataControl() {
  const [confirming, setConfirming] = useState(false);
  const [usage, setUsage] = useState<number>();
  const cleared = useOffline((s) => s.cleared);

  const ask = () => {
    setConfirming(true);
    void navigator.storage?.estimate().then((estimate) => setUsage(estimate.usage));
  };

  return (
    <div className="clear-data">
      {!confirming ? (
        <Button variant="default" color="red" size="xs" onClick={ask}>
          Clear cached models and data…
        </Button>
      ) : (
        <Alert role="alertdialog" aria-label="Clear cached models and data" color="red" variant="light">
          <Text size="sm">
            Delete from this browser{usage !== undefined ? ` (${mb(usage)} stored)` : ''}: the cached models, the generated images
            (gallery), evaluation runs, reviews, proxy scores, your own models and all settings? This cannot be undone. The studio
            reloads; it downloads the models again when a page needs them.
          </Text>
          <Group gap="xs" mt="sm">
            <Button color="red" size="xs" onClick={clearStudioDataAndReload}>
              Delete everything and reload
            </Button>
            <Button variant="default" size="xs" onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </Group>
        </Alert>
      )}
      {cleared && (
        <Text size="sm" data-testid="cleared-report" role="status" data-caches={cleared.caches.join(' ')}>
          Cleared {cleared.caches.length} caches and {cleared.databases.length} databases, and reset the settings.
          {cleared.blocked.length > 0 && ` Another open tab of the studio still holds ${cleared.blocked.join(', ')}: close it to finish.`}
        </Text>
      )}
    </div>
  );
}
