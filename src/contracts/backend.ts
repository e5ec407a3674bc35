/**
 * Which compute backend runs the models: what the user asks for and what a
 * worker really chose. Both sides of the worker boundary speak these types.
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

/**
 * Software renderers that expose WebGPU on the CPU. Chromium flags SwiftShader
 * with `isFallbackAdapter`; older Chromium (and other software paths such as
 * Mesa's lavapipe/llvmpipe or Windows WARP) are recognised by name.
 */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

export function isSoftwareAdapter(adapter: AdapterInfo): boolean {
  return adapter.isFallbackAdapter || SOFTWARE_ADAPTER.test(`${adapter.vendor} ${adapter.architecture} ${adapter.description}`);
}

export function describeAdapter(adapter: AdapterInfo): string {
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ');
  return `${name || 'unknown adapter'}${adapter.isFallbackAdapter ? ' (software fallback)' : ''}`;
}
