import { Button, Text } from '@mantine/core';
import { useState } from 'react';
import { userMessage } from '../../core/errors.ts';

/**
 * "Try with example data": runs `load` (fetch the bundled examples and hand them to
 * the page's own actions), showing that it is busy and any failure in plain words.
 */
export function TryExampleButton({ load, what, disabled }: { load: () => Promise<void>; what: string; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await load();
    } catch (caught) {
      const { title, detail } = userMessage(caught);
      setError(`${title} ${detail}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="try-example">
      <Button variant="light" data-testid="try-example" onClick={() => void run()} disabled={busy || disabled} title={`${what} (public/examples, with their licences)`}>
        {busy ? 'Loading example data…' : 'Try with example data'}
      </Button>
      {error && (
        <Text size="sm" role="alert" className="error">
          {error}
        </Text>
      )}
    </span>
  );
}
