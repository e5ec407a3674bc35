import type { BackendInfo } from '../../src/contracts/backend.ts';
import type { ProgressCallback } from '../../src/contracts/progress.ts';
import { StudioError } from '../../src/core/errors.ts';
import type { Manifest, ModelRole, ModelSpec, VariantName, VariantSpec } from '../../src/core/manifest/types.ts';
import { chooseVariant, createWebRunner, fetchModelFile, type WebRunner } from '../runtime/index.ts';

export interface LoadedModel<R extends ModelRole> {
  role: R;
  /** The manifest's spec for the role (all variants). */
  spec: ModelSpec;
  /** The variant that really loaded. */
  variant: VariantName;
  file: VariantSpec;
  runner: WebRunner;
  /** Why the model does not run as asked (variant or provider fallback), if it does not. */
  note?: string;
}

export interface LoadModelsOptions<R extends ModelRole> {
  baseUrl: string;
  manifest: Manifest;
  roles: readonly R[];
  variant: VariantName;
  backend: BackendInfo;
  onProgress: ProgressCallback;
  /** A role the manifest lacks: skipped, or an error. */
  missing: 'skip' | 'fail';
  /** How a session is opened (default: on the chosen backend). */
  open?: (bytes: Uint8Array, backend: BackendInfo, spec: ModelSpec, label: string) => Promise<WebRunner>;
}

/**
 * The model-loading loop every worker shares: per role, pick the variant the
 * adapter can run, fetch it (hash-checked, cached, byte progress), open its
 * session and report it ready. One at a time: ORT sessions are created serially anyway.
 */
export async function loadModels<R extends ModelRole>(options: LoadModelsOptions<R>): Promise<LoadedModel<R>[]> {
  const { baseUrl, manifest, roles, variant, backend, onProgress, missing } = options;
  const open = options.open ?? ((bytes, chosen, _spec, label) => createWebRunner(bytes, chosen, label));
  const loaded: LoadedModel<R>[] = [];
  try {
    for (const role of roles) {
      const spec = manifest.models[role];
      if (!spec) {
        if (missing === 'skip') continue;
        throw new StudioError('manifest-invalid', `${manifest.id} has no ${role}`);
      }
      const choice = chooseVariant(spec, variant, backend.ep, backend.adapter?.features ?? []);
      const bytes = await fetchModelFile(new URL(choice.spec.file, baseUrl).href, choice.spec, role, onProgress);
      const runner = await open(bytes, backend, spec, `${manifest.id}/${choice.spec.file}`);
      onProgress({ status: 'ready', role, file: choice.spec.file, ep: runner.ep });
      const note = [choice.note, runner.note].filter(Boolean).join('; ') || undefined;
      loaded.push({ role, spec, variant: choice.name, file: choice.spec, runner, ...(note ? { note } : {}) });
    }
  } catch (error) {
    await Promise.all(loaded.map((m) => m.runner.release()));
    throw error;
  }
  return loaded;
}
