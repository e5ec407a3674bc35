import { VARIANT_NAMES, type VariantName } from '../core/manifest/types.ts';
import { useActiveBundleId, useManifest } from '../features/models/queries.ts';
import { describeAdapter, isSoftwareAdapter, type BackendPreference } from '../contracts/backend.ts';
import { ClearDataControl } from './offline/ClearDataControl.tsx';
import { useOffline } from './offline/offlineStore.ts';
import { useSettings } from '../state/settingsStore.ts';
import { useStatus } from '../state/statusStore.ts';

/** Backend and variant choice, persisted in localStorage. Variants are offered only where the manifest has them. */
export function SettingsPanel() {
  const { backend, variant, setBackend, setVariant } = useSettings();
  const manifest = useManifest(useActiveBundleId()).data;
  const adapter = useStatus((s) => s.backend?.adapter);
  const cleared = useOffline((s) => Boolean(s.cleared));
  const software = adapter && isSoftwareAdapter(adapter) ? adapter : undefined;
  const offered = VARIANT_NAMES.filter((v) => v === 'fp32' || Object.values(manifest?.models ?? {}).some((m) => m?.variants[v]));
  return (
    <details className="settings" open={cleared || undefined}>
      <summary>Settings</summary>
      <label>
        Backend{' '}
        <select aria-label="Backend" value={backend} onChange={(e) => setBackend(e.target.value as BackendPreference)}>
          <option value="auto">Automatic (WebGPU on a hardware GPU, else WASM)</option>
          <option value="webgpu">{software ? 'WebGPU (software renderer: slow)' : 'WebGPU'}</option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </label>
      {software && (
        <p className="warning" data-testid="software-adapter-warning">
          This browser&apos;s WebGPU adapter is a software renderer ({describeAdapter(software)}): it runs on the CPU, far slower than WASM
          (minutes per image instead of seconds). Automatic uses WASM; choose WebGPU only to test it.
        </p>
      )}
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
      <ClearDataControl />
    </details>
  );
}
