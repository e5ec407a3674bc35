import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { zipSync } from 'fflate';
import { useState, type ReactNode } from 'react';
import { userMessage } from '../../core/errors.ts';
import { downloadFile } from '../../ui/download.ts';

const MAX_SEEDS = 1_000_000;

/**
 * "Export as batch job": a page's job over N seeds as cxr-batch-job.zip (spec.json and
 * its mask PNGs) for `cxr-studio batch`. `files` makes the job's files from the page's
 * state at the moment of the click; its error is shown under the button.
 */
export function ExportBatchJob({ files, seedsFrom, children }: { files: (seedCount: number) => Promise<Record<string, Uint8Array>>; seedsFrom: string; children?: ReactNode }) {
  const [seedCount, setSeedCount] = useState('1000');
  const [error, setError] = useState<string>();
  const count = Number(seedCount);
  const valid = Number.isInteger(count) && count >= 1 && count <= MAX_SEEDS;

  async function exportJob() {
    setError(undefined);
    try {
      downloadFile('cxr-batch-job.zip', zipSync(await files(count), { level: 0 }), 'application/zip');
    } catch (e) {
      const words = userMessage(e);
      setError(`${words.title}: ${words.detail}`);
    }
  }

  return (
    <Stack gap="xs" data-testid="export-batch-job">
      {children}
      <TextInput
        label="Seeds in the batch job"
        aria-label="Seeds in the batch job"
        description={`${seedsFrom}; run with cxr-studio batch (README)`}
        type="number"
        min={1}
        max={MAX_SEEDS}
        value={seedCount}
        error={valid ? undefined : `a whole number from 1 to ${MAX_SEEDS}`}
        onChange={(e) => setSeedCount(e.currentTarget.value)}
      />
      <Button variant="default" disabled={!valid} onClick={() => void exportJob()}>Export as batch job</Button>
      {error && <Alert color="red" role="alert" title="Export as batch job">{error}</Alert>}
    </Stack>
  );
}
