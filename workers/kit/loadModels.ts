import type { BackendInfo } from '../../src/contracts/backend.ts';
import type { ProgressCallback } from '../../src/contracts/progress.ts';
import { StudioError } from '../../src/core/errors.ts';
import type { Manifest, ModelRole, ModelSpec, VariantName, VariantSpec } from '../../src/core/manifest/types.ts';
import { chooseVariant, fetchModelFile, type WebRunner } from '../runtime/index.ts';
import { openChecked } from './checkedRunner.ts';

export interface LoadedModel<R extends ModelRole> {
  role: R;
  /** The manifest's spec for the role (all variants). */
  spec: ModelSpec;
  /** The variant that really loaded. */
  variant: VariantName;
  file: VariantSpec;
  runner: WebRunner;
  /** Why the model does not run as asked at load (variant or provider fallback), if it does not; `runnerNote` adds a later first-run verdict. */
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
}

/**
 * The model-loading loop every worker shares: per role, pick the variant the
 * adapter can run, fetch it (hash-checked, cached, byte progress), open its
 * session (a WebGPU one checked against WASM on its first run) and report it ready. One at a time: ORT sessions are created serially anyway.
 */
export async function loadModels<R extends ModelRole>(options: LoadModelsOptions<R>): Promise<LoadedModel<R>[]> {
  const { baseUrl, manifest, roles, variant, backend, onProgress, missing } = options;
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
      const runner = await openChecked(bytes, backend, `${manifest.id}/${choice.spec.file}`);
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
