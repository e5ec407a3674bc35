import * as Comlink from 'comlink';
import { lifeLockName, WORKER_READY } from '../contracts/workerProtocol.ts';
import { fromErrorPayload, StudioError } from '../core/errors.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function type; parameters are checked per method below
type AnyFunction = (...args: any[]) => unknown;

/** A worker's API as the page calls it: the same functions, each returning a promise that always settles. */
export type WorkerCalls<Api> = {
  readonly [K in keyof Api as Api[K] extends AnyFunction ? K : never]: Api[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

export interface WorkerHandle<Api> {
  readonly name: string;
  /** Calls that resolve with the worker's answer, or reject with a coded StudioError. */
  readonly api: WorkerCalls<Api>;
  /**
   * The same calls, also stopped by `signal`: work inside ORT cannot be
   * interrupted, so aborting terminates the worker (as squoosh does) and every
   * pending call rejects with code "aborted".
   */
  withSignal(signal: AbortSignal | undefined): WorkerCalls<Api>;
  /** Terminate the worker; every pending and later call rejects with `error`. */
  stop(error: StudioError): void;
  readonly isStopped: boolean;
  /** Called once, when the worker stops for any reason (stop, abort, death, lost GPU device). */
  onStopped(listener: (error: StudioError) => void): () => void;
}

/** What a call's function arguments become: comlink proxies, so callbacks cross as calls back to the page. */
function wire(args: unknown[]): unknown[] {
  return args.map((arg) => (typeof arg === 'function' ? Comlink.proxy(arg as AnyFunction) : arg));
}

/** Send `value` to a worker with these buffers moved, not copied (the page must not use them afterwards). */
export function transfer<T>(value: T, buffers: ArrayBufferLike[]): T {
  return Comlink.transfer(value, buffers as Transferable[]);
}

let started = 0;

/**
 * Start one worker built with the worker kit (workers/kit) and bridge to it.
 * Every call settles: with the answer, with the worker's coded error, or with
 * the reason the worker stopped (terminated, aborted, closed or crashed, GPU
 * device lost), so no caller waits forever on a worker that is gone.
 */
export function startWorker<Api>(kind: string, create: (name: string) => Worker): WorkerHandle<Api> {
  const name = `${kind}-${++started}-${Math.random().toString(36).slice(2, 8)}`;
  const worker = create(name);
  const remote = Comlink.wrap<Record<string, AnyFunction>>(worker);
  const stopped = new AbortController();
  const listeners = new Set<(error: StudioError) => void>();
  let ready = false;

  const stop = (error: StudioError) => {
    if (stopped.signal.aborted) return;
    stopped.abort(error);
    worker.terminate();
    for (const listener of listeners) listener(error);
    listeners.clear();
  };

  // A worker that fails to start (its script did not load) reports only an error event.
  worker.addEventListener('error', (event) => {
    if (!ready) stop(new StudioError('worker-stopped', `the ${kind} worker could not start${event.message ? `: ${event.message}` : ''}`));
  });

  // Once the worker holds its life lock, our request for the same lock is granted only when it ends.
  void (remote[WORKER_READY]() as Promise<boolean>).then((held) => {
    ready = true;
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!held || !locks || stopped.signal.aborted) return;
    locks.request(lifeLockName(name), { signal: stopped.signal }, () => {
      stop(new StudioError('worker-stopped', `the ${kind} worker stopped unexpectedly`));
    }).catch(() => undefined); // aborted: we stopped it ourselves
  }, () => undefined);

  const call = (method: string, args: unknown[], signal?: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const onAbort = () => stop(new StudioError('aborted', 'cancelled by the user'));
      if (signal?.aborted) onAbort();
      if (stopped.signal.aborted) return reject(stopped.signal.reason);
      const onStopped = () => reject(stopped.signal.reason);
      stopped.signal.addEventListener('abort', onStopped, { once: true });
      signal?.addEventListener('abort', onAbort, { once: true });
      remote[method](...wire(args)).then(resolve, (error: unknown) => {
        const coded = fromErrorPayload(error);
        // a worker whose GPU device is lost cannot run anything on it again: replace it
        if (coded.code === 'gpu-device-lost') stop(coded);
        reject(coded);
      }).finally(() => {
        stopped.signal.removeEventListener('abort', onStopped);
        signal?.removeEventListener('abort', onAbort);
      });
    });

  const calls = (signal?: AbortSignal) =>
    new Proxy({}, {
      get: (_, method) => (typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call(method, args, signal) : undefined),
    }) as WorkerCalls<Api>;

  return {
    name,
    api: calls(),
    withSignal: (signal) => calls(signal),
    stop,
    get isStopped() {
      return stopped.signal.aborted;
    },
    onStopped(listener) {
      if (stopped.signal.aborted) {
        listener(stopped.signal.reason as StudioError);
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
