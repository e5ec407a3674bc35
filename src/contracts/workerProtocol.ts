/**
 * The two things the worker kit (workers/kit) and the bridge factory
 * (src/workers-client/bridge.ts) agree on beyond each worker's own API.
 *
 * A worker holds a Web Lock named after itself for its whole life; the
 * browser releases it when the worker ends for any reason (terminate, close,
 * crash, out of memory), which no message can report. The bridge waits on the
 * same lock, so a worker that dies mid-call settles that call instead of
 * leaving it pending forever.
 */
export const WORKER_READY = 'workerReady';

export function lifeLockName(workerName: string): string {
  return `cxr-studio-worker:${workerName}`;
}
