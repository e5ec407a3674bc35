/**
 * Execution-provider choice: WebGPU when the browser gives an adapter, else
 * WASM; the user may force either. The adapter's features decide which model
 * variants can run (fp16 needs shader-f16).
 */
export type ExecutionProvider = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | ExecutionProvider;

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
}

export interface BackendInfo {
  ep: ExecutionProvider;
  /** Present when the WebGPU adapter was found (even if WASM was chosen). */
  adapter?: AdapterInfo;
  /** WASM threads (also used by ORT for CPU fallback kernels under WebGPU). */
  threads: number;
  crossOriginIsolated: boolean;
  /** Why the preferred provider was not used, in plain words. */
  note?: string;
}

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

export async function chooseBackend(preference: BackendPreference): Promise<BackendInfo> {
  const adapter = await probeAdapter();
  const threads = wasmThreadCount();
  const crossOriginIsolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  if (preference === 'wasm') return { ep: 'wasm', adapter, threads, crossOriginIsolated };
  if (adapter) return { ep: 'webgpu', adapter, threads, crossOriginIsolated };
  const note = preference === 'webgpu' ? 'WebGPU was requested but the browser offers no adapter; using WASM.' : undefined;
  return { ep: 'wasm', threads, crossOriginIsolated, note };
}

export function describeAdapter(adapter: AdapterInfo): string {
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ');
  return `${name || 'unknown adapter'}${adapter.isFallbackAdapter ? ' (software fallback)' : ''}`;
}
