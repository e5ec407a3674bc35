import { MODEL_CACHE_NAME, modelCacheKey } from '../../core/manifest/modelCache.ts';
import { RUNTIME_CACHE_PREFIX } from './cacheNames.ts';
import type { FileRef, Manifest, ModelRole, VariantName } from '../../core/manifest/types.ts';

/** What Analyze, Evaluate, Curate (segmenter, classifier) and Generate (the rest, the one-pass UNet when shipped) load. */
const LOADED_ROLES: ModelRole[] = ['segmenter', 'classifier', 'text_encoder', 'unet', 'unet_guided', 'vae_decoder'];

/** The files a bundle loads with the chosen variant (fp32 where a model lacks it) plus its tokenizer, each with the role it loads for (the tokenizer: the text encoder's). */
export function bundleFileRoles(manifest: Manifest, variant: VariantName): Array<{ ref: FileRef; role: ModelRole }> {
  const models = LOADED_ROLES.flatMap((role) => {
    const spec = manifest.models[role];
    return spec ? [{ ref: spec.variants[variant] ?? spec.variants.fp32, role }] : [];
  });
  return manifest.tokenizer ? [...models, { ref: manifest.tokenizer, role: 'text_encoder' as const }] : models;
}

/** The same files without their roles. */
export function bundleFiles(manifest: Manifest, variant: VariantName): FileRef[] {
  return bundleFileRoles(manifest, variant).map(({ ref }) => ref);
}

/** How many of those files fetchModel.ts holds in Cache Storage (verified copies). */
export async function countCachedFiles(baseUrl: string, files: FileRef[]): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  try {
    const cache = await caches.open(MODEL_CACHE_NAME);
    const found = await Promise.all(files.map((ref) => cache.match(modelCacheKey(new URL(ref.file, baseUrl).href, ref.sha256))));
    return found.filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** Whether the service worker holds onnxruntime's wasm for this build (it caches it on first use). */
export async function runtimeWasmCached(): Promise<boolean> {
  if (typeof caches === 'undefined') return false;
  try {
    for (const name of await caches.keys()) {
      if (!name.startsWith(`${RUNTIME_CACHE_PREFIX}wasm-`)) continue;
      const keys = await (await caches.open(name)).keys();
      if (keys.some((request) => /\/ort-wasm[^/]*\.wasm$/.test(new URL(request.url).pathname))) return true;
    }
  } catch {
    // No Cache Storage (private mode): not offline-ready.
  }
  return false;
}
