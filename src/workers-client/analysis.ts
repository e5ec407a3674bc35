import * as Comlink from 'comlink';
import { StudioError, userMessage } from '../core/errors.ts';
import type { ModelSpec } from '../core/manifest/types.ts';
import type { AnalysisApi, LoadedModelInfo } from '../../workers/analysis.worker.ts';
import type { BackendInfo, BackendPreference } from '../../workers/runtime/index.ts';

export interface AnalysisClient {
  api: Comlink.Remote<AnalysisApi>;
  backend: BackendInfo;
  preference: BackendPreference;
  /**
   * Wrap a call so it rejects with code "aborted" when this worker is
   * terminated (a call into a terminated worker would otherwise never settle)
   * or when `signal` aborts, which terminates the worker: work inside ORT
   * cannot be interrupted, so stopping means stopping the worker (as squoosh does).
   */
  call<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T>;
}

interface Current {
  preference: BackendPreference;
  worker: Worker;
  stopped: AbortController;
  ready: Promise<AnalysisClient>;
}

let current: Current | undefined;
const terminatedListeners = new Set<() => void>();

/** Called after each worker is terminated: whatever was loaded into it is gone. */
export function onAnalysisWorkerTerminated(listener: () => void): () => void {
  terminatedListeners.add(listener);
  return () => terminatedListeners.delete(listener);
}

/** Stop the worker now (cancelling whatever it runs); the next call starts a fresh one. */
export function terminateAnalysisWorker(reason = 'the analysis worker was stopped'): void {
  if (!current) return;
  current.worker.terminate();
  current.stopped.abort(new StudioError('aborted', reason));
  current = undefined;
  for (const listener of terminatedListeners) listener();
}

/**
 * The analysis worker for a backend preference. Changing the preference
 * terminates the old worker (freeing its sessions and GPU device) and starts
 * a fresh one, so a backend switch never mixes sessions from two providers.
 */
export function analysisClient(preference: BackendPreference): Promise<AnalysisClient> {
  if (current?.preference === preference) return current.ready;
  terminateAnalysisWorker('the backend was changed');
  const worker = new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
  const api = Comlink.wrap<AnalysisApi>(worker);
  const stopped = new AbortController();
  const call = <T,>(promise: Promise<T>, signal?: AbortSignal) => whileRunning(promise, stopped.signal, signal);
  const ready = call(api.configure(preference)).then((backend) => ({ api, backend, preference, call }));
  current = { preference, worker, stopped, ready };
  return ready;
}

function whileRunning<T>(promise: Promise<T>, stopped: AbortSignal, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onStopped = () => reject(stopped.reason);
    const onAbort = () => terminateAnalysisWorker('cancelled by the user');
    if (stopped.aborted) return onStopped();
    if (signal?.aborted) return onAbort();
    stopped.addEventListener('abort', onStopped, { once: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      stopped.removeEventListener('abort', onStopped);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

/** A model the user loaded from disk: kept here (bytes included) so it outlives the worker. */
interface UserModel {
  role: 'segmenter' | 'classifier';
  spec: ModelSpec;
  classes: string[];
  name: string;
  bytes: ArrayBuffer;
}

const userModels = new Map<UserModel['role'], UserModel>();

function sendUserModel(client: AnalysisClient, model: UserModel): Promise<LoadedModelInfo> {
  const copy = model.bytes.slice(0); // the worker takes ownership of what it is sent
  return client.call(client.api.loadUserModel(model.role, model.spec, model.classes, model.name, Comlink.transfer(copy, [copy])));
}

/**
 * Load the user's own segmenter or classifier into the worker and remember it, so that a
 * fresh worker (backend switch, cancelled analysis) or a bundle reload (variant switch)
 * gets it again instead of silently falling back to the built-in model.
 */
export async function loadUserModel(client: AnalysisClient, model: UserModel): Promise<LoadedModelInfo> {
  const info = await sendUserModel(client, model);
  userModels.set(model.role, model);
  return info;
}

/** Give the worker back the user's models after the bundle (re)loaded. One that no longer loads (another backend) is forgotten and named in the error. */
export async function reapplyUserModels(client: AnalysisClient): Promise<void> {
  for (const model of [...userModels.values()]) {
    try {
      await sendUserModel(client, model);
    } catch (error) {
      userModels.delete(model.role);
      const { detail } = userMessage(error);
      throw new StudioError('model-load-failed', `your ${model.role} ${model.name} could not be loaded again on ${client.backend.ep.toUpperCase()} (${detail}); the built-in ${model.role} is used`);
    }
  }
}

/** The user's models, by role and file name (for the Models page). */
export function userModelNames(): { role: UserModel['role']; name: string }[] {
  return [...userModels.values()].map(({ role, name }) => ({ role, name }));
}

/** Forget the user's models; the next bundle load puts the built-in ones back. */
export function forgetUserModels(): void {
  userModels.clear();
}

export { Comlink };
