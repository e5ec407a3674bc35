import { VARIANT_NAMES, type VariantName } from '../core/manifest/types.ts';
import { useActiveBundleId, useManifest } from '../features/models/queries.ts';
import type { BackendPreference } from '../../workers/runtime/index.ts';
import { useSettings } from './settingsStore.ts';

/** Backend and variant choice, persisted in localStorage. Variants are offered only where the manifest has them. */
export function SettingsPanel() {
  const { backend, variant, setBackend, setVariant } = useSettings();
  const manifest = useManifest(useActiveBundleId()).data;
  const offered = VARIANT_NAMES.filter((v) => v === 'fp32' || Object.values(manifest?.models ?? {}).some((m) => m?.variants[v]));
  return (
    <details className="settings">
      <summary>Settings</summary>
      <label>
        Backend{' '}
        <select aria-label="Backend" value={backend} onChange={(e) => setBackend(e.target.value as BackendPreference)}>
          <option value="auto">Automatic (WebGPU if available)</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </label>
      <label>
        Model variant{' '}
        <select aria-label="Model variant" value={offered.includes(variant) ? variant : 'fp32'} onChange={(e) => setVariant(e.target.value as VariantName)}>
          {offered.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
    </details>
  );
}
