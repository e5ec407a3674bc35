import { useQuery } from '@tanstack/react-query';
import { bundleUrl, useActiveBundleId, useManifest } from '../../features/models/queries.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { bundleFiles, countCachedFiles, runtimeWasmCached } from './cachedModelFiles.ts';
import { useOffline } from './offlineStore.ts';

/**
 * "Available offline" once the app shell is precached and every model file the
 * active bundle loads is in the model cache; otherwise what is still missing.
 */
export function OfflineIndicator() {
  const { shell, detail } = useOffline();
  const manifest = useManifest(useActiveBundleId()).data;
  const variant = useSettings((s) => s.variant);
  // Re-count whenever a model opens: its verified copy is in the cache by then ('done' comes before the write).
  const opened = useStatus((s) => Object.values(s.files).filter((f) => f.status === 'ready').length);
  const files = manifest ? bundleFiles(manifest, variant) : [];
  const cached = useQuery({
    queryKey: ['offline-models', manifest?.id, variant, opened],
    enabled: Boolean(manifest),
    queryFn: async () => ({ files: await countCachedFiles(bundleUrl(manifest!.id), files), wasm: await runtimeWasmCached() }),
  }).data;

  let text: string;
  let title: string;
  if (shell === 'unsupported' || shell === 'failed') {
    text = 'Offline: not available';
    title = `No service worker (${detail ?? 'not supported'}): a reload needs the server.`;
  } else if (shell === 'installing') {
    text = 'Offline: preparing…';
    title = 'The app is being stored in this browser for use without network.';
  } else if (cached && cached.wasm && cached.files === files.length) {
    text = 'Available offline';
    title = `The app, onnxruntime and all ${files.length} model files of ${manifest?.id} are stored in this browser.`;
  } else {
    text = `Offline: app only, ${cached?.files ?? 0} of ${files.length} model files${cached?.wasm ? '' : ', no runtime'} stored`;
    title = 'Models and onnxruntime are stored the first time a page loads them (Analyze: segmenter and classifier; Generate: the generator).';
  }
  return (
    <span data-testid="offline-status" data-shell={shell} title={title}>
      {text}
    </span>
  );
}
