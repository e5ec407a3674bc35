import type { Manifest } from '../../core/manifest/types.ts';
import { useGenerate } from './generateStore.ts';

/** None, one of the bundle's example masks, or a PNG from disk (read locally, never uploaded). */
export function MaskPicker({ manifest }: { manifest: Manifest }) {
  const mask = useGenerate((s) => s.settings.mask);
  const update = useGenerate((s) => s.update);
  const examples = manifest.example_masks ?? [];
  const conventions = [...new Set((manifest.diffusion?.mask_channels ?? []).filter((c) => c.kind === 'convention').map((c) => c.value ?? ''))];
  const selected = mask.kind === 'example' ? `example:${mask.file}` : mask.kind;

  return (
    <fieldset className="mask-picker">
      <legend>Lung mask</legend>
      <select
        aria-label="Mask"
        value={selected}
        onChange={(e) => {
          const value = e.target.value;
          if (value === 'none') update({ mask: { kind: 'none' } });
          const example = examples.find((m) => `example:${m.file}` === value);
          if (example) update({ mask: { kind: 'example', file: example.file, layer: example.layer, ...(example.convention ? { convention: example.convention } : {}) } });
        }}
      >
        <option value="none">none (the model chooses the lungs)</option>
        {examples.map((m) => (
          <option key={m.file} value={`example:${m.file}`}>
            example: {m.file}
          </option>
        ))}
        {mask.kind === 'file' && <option value="file">file: {mask.name}</option>}
        {mask.kind === 'batch' && <option value="batch">from the Masks page: {mask.items.length} mask{mask.items.length === 1 ? '' : 's'}</option>}
      </select>
      <label className="file">
        PNG from disk
        <input
          type="file"
          accept=".png,image/png"
          aria-label="Mask PNG"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) update({ mask: { kind: 'file', name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } });
          }}
        />
      </label>
      {mask.kind === 'file' && conventions.length > 0 && (
        <label>
          Drawn as
          <select aria-label="Mask convention" value={mask.convention ?? ''} onChange={(e) => update({ mask: { ...mask, convention: e.target.value || undefined } })}>
            <option value="">unspecified</option>
            {conventions.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}
