/**
 * Execution-provider choice: WebGPU when the browser gives a hardware
 * adapter, else WASM; the user may force either. A software adapter
 * (SwiftShader and the like) is never chosen automatically: on a 2-core
 * machine it made the generator take 220 s to become ready where WASM took
 * 3.6 s. The adapter's features decide which model variants can run (fp16
 * needs shader-f16).
 */
import { isSoftwareAdapter, type AdapterInfo, type BackendInfo, type BackendPreference, type ExecutionProvider } from '../../src/contracts/backend.ts';

// The types (and the adapter descriptions the app shell shows) are the contract both sides of the worker boundary share.
export { describeAdapter, isSoftwareAdapter } from '../../src/contracts/backend.ts';
export type { AdapterInfo, BackendInfo, BackendPreference, ExecutionProvider } from '../../src/contracts/backend.ts';

interface GpuAdapterLike {
  features: Set<string>;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

interface NavigatorWithGpu {
  gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> };
  hardwareConcurrency?: number;
}

export async function probeAdapter(): Promise<AdapterInfo | undefined> {
  const gpu = (globalThis.navigator as NavigatorWithGpu | undefined)?.gpu;
  if (!gpu) return undefined;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return undefined;
    const info = adapter.info ?? {};
    return {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      description: info.description ?? '',
      isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
      features: [...adapter.features],
    };
  } catch {
    return undefined;
  }
}

/** ORT's default is min(4, ceil(cores/2)), i.e. 1 on a 2-core machine: set it from the core count. */
export function wasmThreadCount(): number {
  const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  if (!isolated) return 1;
  return Math.max(1, Math.min(8, (globalThis.navigator as NavigatorWithGpu | undefined)?.hardwareConcurrency ?? 1));
}

/** The choice as a pure function of the preference and the adapter facts (undefined: no adapter). */
export function decideBackend(preference: BackendPreference, adapter: AdapterInfo | undefined): { ep: ExecutionProvider; note?: string } {
  if (preference === 'wasm') return { ep: 'wasm' };
  if (preference === 'webgpu') {
    return adapter ? { ep: 'webgpu' } : { ep: 'wasm', note: 'WebGPU was requested but the browser offers no adapter; using WASM.' };
  }
  if (!adapter) return { ep: 'wasm' };
  if (isSoftwareAdapter(adapter)) return { ep: 'wasm', note: 'the WebGPU adapter is a software renderer, slower than WASM; choose WebGPU in Settings to use it anyway' };
  return { ep: 'webgpu' };
}

export async function chooseBackend(preference: BackendPreference): Promise<BackendInfo> {
  const adapter = await probeAdapter();
  const threads = wasmThreadCount();
  const crossOriginIsolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  const { ep, note } = decideBackend(preference, adapter);
  return { ep, adapter, threads, crossOriginIsolated, ...(note ? { note } : {}) };
}
