import { useState } from 'react';
import type { Manifest } from '../../core/manifest/types.ts';
import { useMasks } from './maskStore.ts';
import { importMaskPng, loadExampleMask, openReference, segmentReference, startBlank } from './sources.ts';
import { exportActiveLayer } from './variantActions.ts';

/** Hand the chosen file on and clear the input, so the same file can be chosen again. */
function pick(event: React.ChangeEvent<HTMLInputElement>, open: (file: File) => Promise<void>): void {
  const file = event.target.files?.[0];
  event.target.value = '';
  if (file) void open(file);
}

const CONVENTION_OF: Record<string, string> = { lung: 'v7', lung_shenzhen: 'shenzhen' };

/** Where a mask starts from, and export. */
export function SourcePanel({ manifest, segmenterReady }: { manifest: Manifest | undefined; segmenterReady: boolean }) {
  const reference = useMasks((s) => s.reference);
  const channels = manifest?.models.segmenter?.channels ?? [{ name: 'lung' }];
  const [channel, setChannel] = useState(0);
  const examples = manifest?.example_masks ?? [];

  return (
    <fieldset className="mask-sources">
      <legend>Start from</legend>
      <button onClick={startBlank}>Blank</button>
      <select aria-label="Example mask" value="" onChange={(e) => manifest && e.target.value && void loadExampleMask(manifest, e.target.value)}>
        <option value="">example mask…</option>
        {examples.map((m) => (
          <option key={m.file} value={m.file}>
            {m.file} ({m.layer}{m.convention ? `, ${m.convention}` : ''})
          </option>
        ))}
      </select>
      <label className="file">
        Reference X-ray
        <input type="file" aria-label="Reference X-ray" accept=".png,.jpg,.jpeg,.dcm,image/png,image/jpeg,application/dicom" onChange={(e) => pick(e, openReference)} />
      </label>
      {reference && (
        <span>
          <select aria-label="Segmenter channel" value={channel} onChange={(e) => setChannel(Number(e.target.value))}>
            {channels.map((c, i) => (
              <option key={c.name} value={i}>
                {c.name}
              </option>
            ))}
          </select>
          <button disabled={!segmenterReady} onClick={() => void segmentReference(channel, CONVENTION_OF[channels[channel]?.name ?? ''])}>
            {segmenterReady ? 'Use segmenter mask' : 'Loading segmenter…'}
          </button>
          <button onClick={() => useMasks.getState().set({ reference: undefined })}>Hide X-ray</button>
        </span>
      )}
      <label className="file">
        Import PNG
        <input type="file" aria-label="Import mask PNG" accept=".png,image/png" onChange={(e) => pick(e, importMaskPng)} />
      </label>
      <button onClick={exportActiveLayer}>Export PNG</button>
    </fieldset>
  );
}
