import { useQuery } from '@tanstack/react-query';
import type { BackendPreference } from '../../contracts/backend.ts';
import type { Manifest, VariantName } from '../../core/manifest/types.ts';
import { queryClient } from '../../state/queryClient.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { diffusionClient, onDiffusionWorkerStopped } from '../../workers-client/diffusion.ts';
import { bundleUrl, useActiveBundleId, useManifest } from '../models/queries.ts';

async function loadGenerator(manifest: Manifest, preference: BackendPreference, variant: VariantName) {
  const status = useStatus.getState();
  const client = await diffusionClient(preference);
  status.setBackend(client.backend);
  return client.api.loadBundle(bundleUrl(manifest.id), manifest, variant, status.onProgress);
}

const generatorKey = (bundle: string | undefined, backend: BackendPreference, variant: VariantName) => ['generator', bundle, backend, variant];

/** The generator of a bundle opened in the diffusion worker for a backend and variant. */
export function generatorQuery(manifest: Manifest, backend: BackendPreference, variant: VariantName) {
  return {
    queryKey: generatorKey(manifest.id, backend, variant),
    staleTime: Infinity,
    queryFn: () => loadGenerator(manifest, backend, variant),
  };
}

// A stopped worker took its generator with it. After a crash or a lost GPU the shown
// generator reloads in a fresh worker now; after a backend switch the new key loads its
// own, and the old key's answer is only marked stale (reloading it would restart the
// old backend), so switching back loads it again instead of showing a dead "ready".
onDiffusionWorkerStopped((error) => {
  void queryClient.invalidateQueries({ queryKey: ['generator'], refetchType: error.code === 'backend-changed' ? 'none' : 'active' });
});

/** The active bundle's manifest, and its generator opened in the diffusion worker once the page needs it. */
export function useGenerator() {
  const id = useActiveBundleId();
  const manifest = useManifest(id);
  const backend = useSettings((s) => s.backend);
  const variant = useSettings((s) => s.variant);
  const canGenerate = Boolean(manifest.data?.diffusion);
  const models = useQuery({
    queryKey: generatorKey(id, backend, variant),
    enabled: canGenerate,
    staleTime: Infinity,
    queryFn: () => loadGenerator(manifest.data!, backend, variant),
  });
  return { manifest, models, canGenerate };
}
