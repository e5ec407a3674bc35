import * as Comlink from 'comlink';
import { StudioError, toTransferableError } from '../../src/core/errors.ts';
import { lifeLockName, WORKER_READY } from '../../src/contracts/workerProtocol.ts';
import { gpuDeviceLost } from '../runtime/session.ts';

/** Hold this worker's life lock until the worker ends; true once it is held (false: no Web Locks here). */
function holdLifeLock(): Promise<boolean> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks || !self.name) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    locks.request(lifeLockName(self.name), () => {
      resolve(true);
      return new Promise<never>(() => {});
    }).catch(() => resolve(false));
  });
}

/**
 * Every call goes through here: a failure leaves the worker as an Error whose
 * message carries its code (comlink keeps only name and message), and a lost
 * GPU device settles the call at once, since ORT may wait on a dead device forever.
 */
function guard<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await Promise.race([
        Promise.resolve().then(() => fn(...args)),
        gpuDeviceLost().then((reason): never => {
          throw new StudioError('gpu-device-lost', `the GPU device was lost (${reason}); this worker cannot use it again`);
        }),
      ]);
    } catch (error) {
      throw toTransferableError(error);
    }
  };
}

/**
 * Expose a worker's API object to its bridge: every function guarded, plus the
 * handshake that tells the bridge the life lock is held. Never inside one of
 * ORT's pthread helpers, which start from the same script.
 */
export function exposeWorker(api: Record<string, (...args: never[]) => unknown>): void {
  if (self.name?.startsWith('em-pthread')) return;
  const held = holdLifeLock();
  const guarded = Object.fromEntries(Object.entries(api).map(([name, fn]) => [name, guard(fn as (...args: unknown[]) => unknown)]));
  Comlink.expose({ ...guarded, [WORKER_READY]: () => held });
}

/** Send `value` back with these buffers moved, not copied (the worker must not use them afterwards). */
export function transfer<T>(value: T, buffers: ArrayBufferLike[]): T {
  return Comlink.transfer(value, buffers as Transferable[]);
}
