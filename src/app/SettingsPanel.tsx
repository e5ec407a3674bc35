import { Alert, Button, NativeSelect, Stack } from '@mantine/core';
import { create } from 'zustand';
import { VARIANT_NAMES, type VariantName } from '../core/manifest/types.ts';
import { useActiveBundleId, useManifest } from '../features/models/queries.ts';
import { describeAdapter, isSoftwareAdapter, type BackendPreference } from '../contracts/backend.ts';
import { ClearDataControl } from './offline/ClearDataControl.tsx';
import { useOffline } from './offline/offlineStore.ts';
import { useSettings } from '../state/settingsStore.ts';
import { useStatus } from '../state/statusStore.ts';

/** Whether the settings panel under the top bar is open (not persisted; it opens by itself after "clear data" to show the report). */
const useSettingsOpen = create<{ open: boolean; toggle(): void }>((set) => ({ open: false, toggle: () => set((s) => ({ open: !s.open })) }));

export function SettingsButton() {
  const { open, toggle } = useSettingsOpen();
  const cleared = useOffline((s) => Boolean(s.cleared));
  return (
    <Button variant={open || cleared ? 'light' : 'default'} size="xs" aria-expanded={open || cleared} aria-controls="settings-panel" onClick={toggle}>
      Settings
    </Button>
  );
}

/** Backend and variant choice, persisted in localStorage. Variants are offered only where the manifest has them. */
export function SettingsPanel() {
  const open = useSettingsOpen((s) => s.open);
  const { backend, variant, setBackend, setVariant } = useSettings();
  const manifest = useManifest(useActiveBundleId()).data;
  const adapter = useStatus((s) => s.backend?.adapter);
  const cleared = useOffline((s) => Boolean(s.cleared));
  if (!open && !cleared) return null;
  const software = adapter && isSoftwareAdapter(adapter) ? adapter : undefined;
  const offered = VARIANT_NAMES.filter((v) => v === 'fp32' || Object.values(manifest?.models ?? {}).some((m) => m?.variants[v]));
  return (
    <div className="settings-panel" id="settings-panel" role="region" aria-label="Studio settings">
      <Stack gap="sm">
        <NativeSelect
          label="Backend"
          description="Where the models run. Automatic never picks a software WebGPU renderer."
          value={backend}
          onChange={(e) => setBackend(e.target.value as BackendPreference)}
          data={[
            { value: 'auto', label: 'Automatic (WebGPU on a hardware GPU, else WASM)' },
            { value: 'webgpu', label: software ? 'WebGPU (software renderer: slow)' : 'WebGPU' },
            { value: 'wasm', label: 'WASM (CPU)' },
          ]}
        />
        {software && (
          <Alert color="yellow" variant="light" data-testid="software-adapter-warning">
            This browser&apos;s WebGPU adapter is a software renderer ({describeAdapter(software)}): it runs on the CPU, far slower than WASM
            (minutes per image instead of seconds). Automatic uses WASM; choose WebGPU only to test it.
          </Alert>
        )}
        <NativeSelect
          label="Model variant"
          value={offered.includes(variant) ? variant : 'fp32'}
          onChange={(e) => setVariant(e.target.value as VariantName)}
          data={offered.map((v) => ({ value: v, label: v }))}
        />
        <ClearDataControl />
      </Stack>
    </div>
  );
}
