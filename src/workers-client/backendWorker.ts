import type { BackendInfo, BackendPreference } from '../contracts/backend.ts';
import { StudioError } from '../core/errors.ts';
import { startWorker, type WorkerCalls, type WorkerHandle } from './bridge.ts';

export interface BackendClient<Api> {
  readonly api: WorkerCalls<Api>;
  withSignal(signal: AbortSignal | undefined): WorkerCalls<Api>;
  readonly backend: BackendInfo;
  readonly preference: BackendPreference;
}

export interface BackendWorker<Api> {
  /** The worker for this preference, configured; a different preference replaces the current worker. */
  client(preference: BackendPreference): Promise<BackendClient<Api>>;
  /** Stop the current worker if it runs another backend; the next `client` call starts one on `preference`. */
  switchTo(preference: BackendPreference): void;
  /** Stop the current worker now; every pending call rejects with `error`. */
  terminate(error: StudioError): void;
  /** Called after each worker stops: whatever was loaded into it is gone. */
  onStopped(listener: (error: StudioError) => void): () => void;
}

interface Configurable {
  configure(preference: BackendPreference): Promise<BackendInfo>;
}

const everyBackendWorker = new Set<BackendWorker<unknown>>();

/** A backend switch in Settings, applied to every worker at once: running work stops with code "backend-changed". */
export function switchBackend(preference: BackendPreference): void {
  for (const worker of everyBackendWorker) worker.switchTo(preference);
}

/**
 * A long-lived worker per backend preference (analysis, diffusion,
 * evaluation). Changing the preference terminates the old worker (freeing its
 * sessions and GPU device) and starts a fresh one, so a switch never mixes
 * sessions from two providers, and the old worker's pending calls settle.
 */
export function backendWorker<Api extends Configurable>(kind: string, create: (name: string) => Worker): BackendWorker<Api> {
  let current: { preference: BackendPreference; handle: WorkerHandle<Api>; ready: Promise<BackendClient<Api>> } | undefined;
  const listeners = new Set<(error: StudioError) => void>();

  const self: BackendWorker<Api> = {
    client(preference) {
      if (current && current.preference === preference && !current.handle.isStopped) return current.ready;
      self.switchTo(preference);
      const handle = startWorker<Api>(kind, create);
      handle.onStopped((error) => {
        if (current?.handle === handle) current = undefined;
        for (const listener of listeners) listener(error);
      });
      const ready = (handle.api as unknown as WorkerCalls<Configurable>).configure(preference).then((backend) => ({ api: handle.api, withSignal: handle.withSignal, backend, preference }));
      ready.catch((error: StudioError) => handle.stop(error)); // a later call starts afresh
      current = { preference, handle, ready };
      return ready;
    },
    switchTo(preference) {
      if (current && current.preference !== preference) {
        current.handle.stop(new StudioError('backend-changed', `the ${kind} worker was stopped because the backend was changed to ${preference.toUpperCase()}`));
      }
    },
    terminate(error) {
      current?.handle.stop(error);
    },
    onStopped(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  everyBackendWorker.add(self as BackendWorker<unknown>);
  return self;
}
