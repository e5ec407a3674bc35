import { Button } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FileRef, Manifest, ModelRole } from '../../core/manifest/types.ts';
import { bundleUrl, useActiveBundleId, useManifest } from '../../features/models/queries.ts';
import { megabytes as mb } from '../../ui/format.ts';
import { withCurationWorker } from '../../workers-client/curation.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { useStatus } from '../../state/statusStore.ts';
import { bundleFiles, bundleFileRoles, countCachedFiles, runtimeWasmCached } from './cachedModelFiles.ts';
import { useOffline } from './offlineStore.ts';


interface Storing {
  index: number;
  count: number;
  file: string;
  loaded: number;
  total: number;
  /** Already in the cache: only its size and hash are checked. */
  fromCache?: boolean;
  /** Stops the download: the worker is terminated; what was stored stays. */
  stop: AbortController;
}

/**
 * "Available offline" once the app shell is precached and every model file the
 * active bundle loads is in the model cache; otherwise what is still missing, and a
 * button that stores the rest now (a workshop laptop prepared before it goes offline
 * need not open every page first).
 */
export function OfflineIndicator() {
  const { shell, detail } = useOffline();
  const manifest = useManifest(useActiveBundleId()).data;
  const variant = useSettings((s) => s.variant);
  // Re-count whenever a model opens: its verified copy is in the cache by then ('done' comes before the write).
  const opened = useStatus((s) => Object.values(s.files).filter((f) => f.status === 'ready').length);
  const files = manifest ? bundleFiles(manifest, variant) : [];
  const queryClient = useQueryClient();
  const showError = useStatus((s) => s.showError);
  const [storing, setStoring] = useState<Storing>();
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
    title = 'Models and onnxruntime are stored the first time a page loads them (Analyze: segmenter and classifier; Generate: the generator), or all at once with "Store all for offline use".';
  }
  const store = async (bundle: Manifest) => {
    const refs: Array<{ ref: FileRef; role: ModelRole }> = bundleFileRoles(bundle, variant);
    const base = bundleUrl(bundle.id);
    const count = refs.length;
    const stop = new AbortController();
    setStoring({ index: 0, count, file: refs[0]?.ref.file ?? '', loaded: 0, total: refs[0]?.ref.bytes ?? 0, stop });
    try {
      await withCurationWorker((api) =>
        api.storeModelFiles(
          refs.map(({ ref, role }) => ({ url: new URL(ref.file, base).href, ref, role })),
          (p) => {
            const index = refs.findIndex(({ ref }) => ref.file === p.file);
            if (p.status === 'initiate') setStoring({ index, count, file: p.file, loaded: 0, total: p.total, stop });
            else if (p.status === 'download') setStoring((s) => s && { ...s, fromCache: p.fromCache });
            else if (p.status === 'progress') setStoring((s) => ({ index, count, file: p.file, loaded: p.loaded, total: p.total, fromCache: s?.fromCache, stop }));
          },
        ),
        stop.signal,
      );
    } catch (error) {
      if (!stop.signal.aborted) showError('Storing models for offline use', error);
    } finally {
      setStoring(undefined);
      await queryClient.invalidateQueries({ queryKey: ['offline-models'] });
    }
  };
  const missing = shell === 'ready' && manifest && cached && cached.files < files.length;
  return (
    <span data-testid="offline-status" data-shell={shell} title={title}>
      {storing
        ? storing.fromCache
          ? `Checking the stored ${storing.file} (${storing.index + 1} of ${storing.count})`
          : `Storing ${storing.file} for offline use (${storing.index + 1} of ${storing.count}): ${mb(storing.loaded)} / ${mb(storing.total)}`
        : text}
      {storing && (
        <>
          {' '}
          <Button size="compact-xs" variant="subtle" onClick={() => storing.stop.abort()}>
            Cancel
          </Button>
        </>
      )}
      {missing && !storing && (
        <>
          {' '}
          <Button size="compact-xs" variant="subtle" onClick={() => void store(manifest)} title={`Download and check the ${files.length - cached.files} missing model files of ${manifest.id} now, so every page works without network`}>
            Store all for offline use
          </Button>
        </>
      )}
    </span>
  );
}
