import { useQuery } from '@tanstack/react-query';
import type { Manifest, VariantName } from '../../core/manifest/types.ts';
import { useSettings } from '../../app/settingsStore.ts';
import { useStatus } from '../../app/statusStore.ts';
import { Comlink, diffusionClient } from '../../workers-client/diffusion.ts';
import type { BackendPreference } from '../../../workers/runtime/index.ts';
import { bundleUrl, useActiveBundleId, useManifest } from '../models/queries.ts';

async function loadGenerator(manifest: Manifest, preference: BackendPreference, variant: VariantName) {
  const status = useStatus.getState();
  const client = await diffusionClient(preference);
  status.setBackend(client.backend);
  return client.api.loadBundle(bundleUrl(manifest.id), manifest, variant, Comlink.proxy(status.onProgress));
}

/** The active bundle's manifest, and its generator opened in the diffusion worker once the page needs it. */
export function useGenerator() {
  const id = useActiveBundleId();
  const manifest = useManifest(id);
  const backend = useSettings((s) => s.backend);
  const variant = useSettings((s) => s.variant);
  const canGenerate = Boolean(manifest.data?.diffusion);
  const models = useQuery({
    queryKey: ['generator', id, backend, variant],
    enabled: canGenerate,
    staleTime: Infinity,
    queryFn: () => loadGenerator(manifest.data!, backend, variant),
  });
  return { manifest, models, canGenerate };
}
