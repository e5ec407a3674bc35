import { useState } from 'react';
import { clearStudioDataAndReload } from './clearStudioData.ts';
import { useOffline } from './offlineStore.ts';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

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
        <button type="button" onClick={ask}>
          Clear cached models and data…
        </button>
      ) : (
        <div role="alertdialog" aria-label="Clear cached models and data" className="warning">
          <p>
            Delete from this browser{usage !== undefined ? ` (${mb(usage)} stored)` : ''}: the cached models, the generated images
            (gallery), evaluation runs, reviews, proxy scores, your own models and all settings? This cannot be undone. The studio
            reloads; it downloads the models again when a page needs them.
          </p>
          <button type="button" onClick={clearStudioDataAndReload}>
            Delete everything and reload
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      )}
      {cleared && (
        <p data-testid="cleared-report" role="status" data-caches={cleared.caches.join(' ')}>
          Cleared {cleared.caches.length} caches and {cleared.databases.length} databases, and reset the settings.
          {cleared.blocked.length > 0 && ` Another open tab of the studio still holds ${cleared.blocked.join(', ')}: close it to finish.`}
        </p>
      )}
    </div>
  );
}
