import { ModelFileError } from '../../src/core/errors.ts';
import { MODEL_CACHE_NAME, modelCacheKey } from '../../src/core/manifest/modelCache.ts';
import type { FileRef, ModelRole } from '../../src/core/manifest/types.ts';
import { verifyFile } from '../../src/core/manifest/verifyFile.ts';
import type { ProgressCallback } from './progress.ts';

/**
 * Fetch a model file named by the manifest, reporting byte progress, checking
 * size and sha256, and keeping a verified copy in Cache Storage. The cache is
 * keyed by URL and content hash, so a changed file is fetched again; where
 * Cache Storage is missing or refuses (private mode, quota), it just fetches.
 */
export async function fetchModelFile(url: string, ref: FileRef, role: ModelRole, onProgress?: ProgressCallback): Promise<Uint8Array> {
  const key = modelCacheKey(new URL(url, self.location.href).href, ref.sha256);
  onProgress?.({ status: 'initiate', role, file: ref.file, total: ref.bytes });

  const cached = await readCache(key);
  if (cached) {
    try {
      await verifyFile(ref, cached);
      onProgress?.({ status: 'download', role, file: ref.file, fromCache: true });
      onProgress?.({ status: 'progress', role, file: ref.file, loaded: cached.length, total: ref.bytes });
      onProgress?.({ status: 'done', role, file: ref.file, total: ref.bytes, fromCache: true });
      return cached;
    } catch {
      await deleteCache(key);
    }
  }

  onProgress?.({ status: 'download', role, file: ref.file, fromCache: false });
  const bytes = await download(url, ref, role, onProgress);
  await verifyFile(ref, bytes);
  onProgress?.({ status: 'done', role, file: ref.file, total: ref.bytes, fromCache: false });
  await writeCache(key, bytes);
  return bytes;
}

async function download(url: string, ref: FileRef, role: ModelRole, onProgress?: ProgressCallback): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ModelFileError('model-missing', `${ref.file}: the request failed (${(error as Error).message})`, { cause: error });
  }
  if (!response.ok) throw new ModelFileError('model-missing', `${ref.file}: the server answered ${response.status} ${response.statusText}`);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());

  const buffer = new Uint8Array(ref.bytes);
  const reader = response.body.getReader();
  let loaded = 0;
  let lastReport = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new ModelFileError('model-truncated', `${ref.file}: the download broke off after ${loaded} of ${ref.bytes} bytes`, { cause: error });
    }
    if (chunk.done) break;
    if (loaded + chunk.value.length > ref.bytes) {
      await reader.cancel();
      throw new ModelFileError('model-hash-mismatch', `${ref.file}: expected ${ref.bytes} bytes, received more`);
    }
    buffer.set(chunk.value, loaded);
    loaded += chunk.value.length;
    if (loaded - lastReport >= 256 * 1024 || loaded === ref.bytes) {
      lastReport = loaded;
      onProgress?.({ status: 'progress', role, file: ref.file, loaded, total: ref.bytes });
    }
  }
  return loaded === ref.bytes ? buffer : buffer.subarray(0, loaded);
}

async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(MODEL_CACHE_NAME);
  } catch {
    return undefined;
  }
}

async function readCache(key: string): Promise<Uint8Array | undefined> {
  try {
    const response = await (await openCache())?.match(key);
    return response ? new Uint8Array(await response.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}

async function writeCache(key: string, bytes: Uint8Array): Promise<void> {
  try {
    await (await openCache())?.put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } }));
  } catch {
    // Quota or private mode: the model still runs, it is just fetched again next time.
  }
}

async function deleteCache(key: string): Promise<void> {
  try {
    await (await openCache())?.delete(key);
  } catch {
    // Nothing to do: a failed delete only means a stale entry is re-verified next time.
  }
}

export async function clearModelCache(): Promise<boolean> {
  try {
    return typeof caches !== 'undefined' && (await caches.delete(MODEL_CACHE_NAME));
  } catch {
    return false;
  }
}
