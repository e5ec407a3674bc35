import type { BackendInfo } from '../../src/contracts/backend.ts';
import { FirstRunCheck } from '../../src/core/pipelines/crossCheck.ts';
import { createWebRunner, type WebRunner } from '../runtime/index.ts';

/**
 * A WebGPU session that checks its first real run against a WASM session of the same model
 * (core/pipelines/crossCheck.ts) and, if the two disagree, hands over to the WASM one for good;
 * `verdict` then says why. Any other runner is returned as it is.
 *
 * Every worker opens its models this way: ORT 1.30's WebGPU EP on SwiftShader once returned
 * wrong UNet outputs with no error (mean |diff| 0.28 on outputs of mean magnitude 0.65), and a
 * wrong segmenter or classifier kernel would give wrong masks, scores and F1 just as quietly.
 * `bytes` stay referenced until the first run, so the reference can be opened then.
 */
export function checkOnFirstRun(runner: WebRunner, bytes: Uint8Array, backend: BackendInfo, label: string): WebRunner {
  if (runner.ep !== 'webgpu') return runner;
  const check = new FirstRunCheck(runner, () => createWebRunner(bytes, { ...backend, ep: 'wasm' }, label));
  return {
    get ep() {
      return check.current.ep;
    },
    get verdict() {
      return check.verdict && `WebGPU ${check.verdict}; it runs on WASM`;
    },
    note: runner.note,
    inputNames: runner.inputNames,
    outputNames: runner.outputNames,
    io: runner.io,
    run: (feeds) => check.run(feeds),
    release: () => check.release(),
  };
}

/** A session on the chosen backend, checked on its first run when that is WebGPU. */
export async function openChecked(bytes: Uint8Array, backend: BackendInfo, label: string): Promise<WebRunner> {
  return checkOnFirstRun(await createWebRunner(bytes, backend, label), bytes, backend, label);
}

/** Why a model does not run as asked now: its load note (variant or provider fallback) and any first-run verdict. */
export function runnerNote(runner: WebRunner, loadNote?: string): string | undefined {
  return [loadNote, runner.verdict].filter(Boolean).join('; ') || undefined;
}
