import { useQuery } from '@tanstack/react-query';
import { ModelFileError } from '../../core/errors.ts';
import type { Manifest, VariantName } from '../../core/manifest/types.ts';
import { validateBundleIndex, validateManifest } from '../../core/manifest/validate.ts';
import { queryClient } from '../../state/queryClient.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { analysisClient, onAnalysisWorkerTerminated, reapplyUserModels } from '../../workers-client/analysis.ts';
import type { LoadedModelInfo } from '../../contracts/analysis.ts';
import type { BackendPreference } from '../../contracts/backend.ts';

const modelsBase = () => new URL(`${import.meta.env.BASE_URL}models/`, self.location.href);

async function fetchJson(url: URL): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new ModelFileError('model-missing', `${url.pathname}: the server answered ${response.status}`);
  return response.json();
}

export function useBundleIndex() {
  return useQuery({ queryKey: ['bundle-index'], queryFn: async () => validateBundleIndex(await fetchJson(new URL('index.json', modelsBase()))) });
}

export function bundleUrl(id: string): string {
  return new URL(`${id}/`, modelsBase()).href;
}

export function manifestQuery(id: string) {
  return {
    queryKey: ['manifest', id],
    queryFn: async () => validateManifest(await fetchJson(new URL('manifest.json', bundleUrl(id)))),
  };
}

export function useManifest(id: string | undefined) {
  return useQuery({ ...manifestQuery(id ?? ''), enabled: Boolean(id) });
}

export function useModelCard(manifest: Manifest | undefined) {
  return useQuery({
    queryKey: ['card', manifest?.id],
    enabled: Boolean(manifest?.card),
    queryFn: async () => {
      const response = await fetch(new URL(manifest!.card!, bundleUrl(manifest!.id)));
      return response.ok ? response.text() : `(model card ${manifest!.card} not found)`;
    },
  });
}

/** The bundle the Analyze page uses: the chosen one, else the default. */
export function useActiveBundleId(): string | undefined {
  const chosen = useSettings((s) => s.bundleId);
  const index = useBundleIndex();
  if (chosen && index.data?.includes(chosen)) return chosen;
  return index.data?.[0];
}

async function loadAnalysisModels(manifest: Manifest, preference: BackendPreference, variant: VariantName) {
  const status = useStatus.getState();
  const client = await analysisClient(preference);
  status.setBackend(client.backend);
  await client.api.loadBundle(bundleUrl(manifest.id), manifest, variant, status.onProgress);
  try {
    await reapplyUserModels(client); // the user's own models win over the bundle's, across reloads
  } catch (error) {
    status.showError('Your own model', error); // the built-in model stays, the page works
  }
  const loaded = await client.api.loadedModels();
  status.setModels(loaded);
  return loaded;
}

/**
 * After the user's own model went into the worker: the query of the loaded bundle answers
 * with what the worker now holds, so Analyze reruns with it and Curate scores under its
 * name. A bundle not loaded yet stays unloaded (its query loads it and applies the model).
 */
export function replaceLoadedModels(bundleId: string | undefined, loaded: LoadedModelInfo[]): void {
  const { backend, variant } = useSettings.getState();
  useStatus.getState().setModels(loaded);
  queryClient.setQueryData(['analysis-models', bundleId, backend, variant], (old: LoadedModelInfo[] | undefined) => old && loaded);
}

/**
 * Where the models ran an analysis, shown in the status bar when it changed: on WebGPU each model's
 * first run is checked against WASM, and one that disagreed runs on WASM from then on, with the
 * reason in its note. The query's answer is left as it is: its models are the same, and a new
 * answer would make Analyze run the image again.
 */
export function showModelPlacement(models: LoadedModelInfo[]): void {
  const status = useStatus.getState();
  const placement = (list: LoadedModelInfo[]) => list.map((m) => `${m.role} ${m.source} ${m.ep} ${m.note ?? ''}`).join('\n');
  if (placement(models) !== placement(status.models)) status.setModels(models);
}

// A stopped worker took its models with it, so every cached answer describes models that are
// gone: mark them stale, or WASM -> WebGPU -> WASM would show "ready" with an empty worker. After
// a crash or a lost GPU the shown models reload in a fresh worker now; after a backend switch the
// new key loads its own (reloading the old one would restart the old backend), and after a
// cancel the page reloads them itself.
onAnalysisWorkerTerminated((error) => {
  const reloadNow = error.code === 'worker-stopped' || error.code === 'gpu-device-lost';
  void queryClient.invalidateQueries({ queryKey: ['analysis-models'], refetchType: reloadNow ? 'active' : 'none' });
});

/** Fetch, verify and open the active bundle's segmenter and classifier in the worker; the answer is what the worker then holds, the user's own models included. */
export function useAnalysisModels() {
  const id = useActiveBundleId();
  const manifest = useManifest(id);
  const backend = useSettings((s) => s.backend);
  const variant = useSettings((s) => s.variant);
  return useQuery({
    queryKey: ['analysis-models', id, backend, variant],
    enabled: Boolean(manifest.data),
    queryFn: () => loadAnalysisModels(manifest.data!, backend, variant),
  });
}
