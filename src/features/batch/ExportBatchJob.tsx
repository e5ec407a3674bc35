import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { userMessage } from '../../core/errors.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { useCurate } from '../curate/curateStore.ts';
import { useGenerate } from '../generate/generateStore.ts';
import { batchJobZip } from './exportBatchJob.ts';

const MAX_SEEDS = 1_000_000;

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "Export as batch job": the form's settings and mask over many seeds, with Curate's proxy thresholds, for `cxr-studio batch`. */
export function ExportBatchJob({ manifest }: { manifest: Manifest }) {
  const [seedCount, setSeedCount] = useState('1000');
  const [error, setError] = useState<string>();
  const count = Number(seedCount);
  const valid = Number.isInteger(count) && count >= 1 && count <= MAX_SEEDS;

  async function exportJob() {
    setError(undefined);
    try {
      const { settings } = useGenerate.getState();
      download(await batchJobZip(manifest, settings, count, useCurate.getState().thresholds), 'cxr-batch-job.zip');
    } catch (e) {
      const words = userMessage(e);
      setError(`${words.title}: ${words.detail}`);
    }
  }

  return (
    <Stack gap="xs" data-testid="export-batch-job">
      <TextInput
        label="Seeds in the batch job"
        aria-label="Seeds in the batch job"
        description="From the form's seed; run with cxr-studio batch (README)"
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
