import type { ModelSpec, VariantName, VariantSpec } from '../../src/core/manifest/types.ts';
import type { ExecutionProvider } from './backend.ts';

export interface VariantChoice {
  name: VariantName;
  spec: VariantSpec;
  /** Set when the requested variant could not be used. */
  note?: string;
}

/**
 * The requested variant if the manifest offers it and the adapter has every
 * feature it requires (features only constrain WebGPU; WASM runs any
 * variant), else fp32 with a note saying why.
 */
export function chooseVariant(spec: ModelSpec, requested: VariantName, ep: ExecutionProvider, features: readonly string[]): VariantChoice {
  const wanted = spec.variants[requested];
  if (!wanted) {
    const note = requested === 'fp32' ? undefined : `${requested} is not offered (offered: ${Object.keys(spec.variants).join(', ')}); using fp32`;
    return { name: 'fp32', spec: spec.variants.fp32, note };
  }
  const missing = ep === 'webgpu' ? (wanted.requires ?? []).filter((f) => !features.includes(f)) : [];
  if (missing.length > 0) {
    return { name: 'fp32', spec: spec.variants.fp32, note: `${requested} needs ${missing.join(', ')}, which this GPU adapter lacks; using fp32` };
  }
  return { name: requested, spec: wanted };
}
