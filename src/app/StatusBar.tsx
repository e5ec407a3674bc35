import { CloseButton } from '@mantine/core';
import { describeAdapter } from '../contracts/backend.ts';
import { OfflineIndicator } from './offline/OfflineIndicator.tsx';
import { useStatus } from '../state/statusStore.ts';
import { megabytes as mb } from '../ui/format.ts';

/** Backend, model-load progress in bytes, loaded models, whether the studio works offline, and the last error in plain words. */
export function StatusBar() {
  const { backend, files, models, error, clearError } = useStatus();
  // 'done' ends a download; the tokenizer never reaches 'ready' (it is no session), so it would stay listed.
  const loading = Object.values(files).filter((f) => f.status !== 'ready' && f.status !== 'done');
  return (
    <footer className="status" aria-label="Status">
      <span data-testid="backend-status">
        {!backend
          ? 'Backend: starting…'
          : backend.ep === 'webgpu'
            ? `Backend: WebGPU — ${backend.adapter ? describeAdapter(backend.adapter) : 'adapter'}`
            : `Backend: WASM — ${backend.threads} thread${backend.threads === 1 ? '' : 's'}${backend.crossOriginIsolated ? '' : ' (not cross-origin isolated)'}`}
        {backend?.note ? ` (${backend.note})` : ''}
      </span>
      {loading.map((f) => (
        <span key={f.file} className="file-progress">
          {f.file}: {f.fromCache ? 'from cache ' : ''}
          {mb(f.loaded)} / {mb(f.total)}
          <progress max={f.total || 1} value={f.loaded} />
        </span>
      ))}
      <OfflineIndicator />
      <span data-testid="models-status">
        {models.map((m) => `${m.role}: ${m.source} ${m.variant} on ${m.ep.toUpperCase()}${m.note ? ` (${m.note})` : ''}`).join(' · ')}
      </span>
      {error && (
        <span role="alert" className="error" data-testid="status-error">
          {error.where}: {error.title} <small>{error.detail}</small>
          <CloseButton size="sm" onClick={clearError} aria-label="Dismiss error" />
        </span>
      )}
    </footer>
  );
}
