import type { BackendPreference } from '../contracts/backend.ts';
import type { LoadedModelInfo } from '../contracts/analysis.ts';
import { StudioError, userMessage } from '../core/errors.ts';
import type { ModelIo } from '../core/manifest/bindModelIo.ts';
import type { ModelSpec } from '../core/manifest/types.ts';
import type { AnalysisApi } from '../../workers/analysis.worker.ts';
import { backendWorker, type BackendClient } from './backendWorker.ts';
import { transfer } from './bridge.ts';

export type AnalysisClient = BackendClient<AnalysisApi>;

const analysis = backendWorker<AnalysisApi>('analysis', (name) => new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name }));

/** Called after each worker stops (terminated, backend switch, crash): whatever was loaded into it is gone. */
export function onAnalysisWorkerTerminated(listener: (error: StudioError) => void): () => void {
  return analysis.onStopped(listener);
}

/**
 * The analysis worker for a backend preference. Changing the preference
 * terminates the old worker (freeing its sessions and GPU device) and starts
 * a fresh one, so a backend switch never mixes sessions from two providers.
 */
export function analysisClient(preference: BackendPreference): Promise<AnalysisClient> {
  return analysis.client(preference);
}

/** A model the user loaded from disk: kept here (bytes included) so it outlives the worker. */
interface UserModel {
  role: 'segmenter' | 'classifier';
  spec: ModelSpec;
  classes: string[];
  name: string;
  bytes: ArrayBuffer;
}

const userModels = new Map<UserModel['role'], UserModel>();

function sendUserModel(client: AnalysisClient, model: UserModel): Promise<LoadedModelInfo> {
  const copy = model.bytes.slice(0); // the worker takes ownership of what it is sent
  return client.api.loadUserModel(model.role, model.spec, model.classes, model.name, transfer(copy, [copy]));
}

/**
 * Load the user's own segmenter or classifier into the worker and remember it, so that a
 * fresh worker (backend switch, cancelled analysis) or a bundle reload (variant switch)
 * gets it again instead of silently falling back to the built-in model.
 */
export async function loadUserModel(client: AnalysisClient, model: UserModel): Promise<LoadedModelInfo> {
  const info = await sendUserModel(client, model);
  userModels.set(model.role, model);
  return info;
}

/** Give the worker back the user's models after the bundle (re)loaded. One that no longer loads (another backend) is forgotten and named in the error. */
export async function reapplyUserModels(client: AnalysisClient): Promise<void> {
  for (const model of [...userModels.values()]) {
    try {
      await sendUserModel(client, model);
    } catch (error) {
      userModels.delete(model.role);
      const { detail } = userMessage(error);
      throw new StudioError('model-load-failed', `your ${model.role} ${model.name} could not be loaded again on ${client.backend.ep.toUpperCase()} (${detail}); the built-in ${model.role} is used`);
    }
  }
}

/** The user's models, by role and file name (for the Models page). */
export function userModelNames(): { role: UserModel['role']; name: string }[] {
  return [...userModels.values()].map(({ role, name }) => ({ role, name }));
}

/** Forget the user's models; the next bundle load puts the built-in ones back. */
export function forgetUserModels(): void {
  userModels.clear();
}

/** What a picked ONNX file declares, read in the analysis worker (the page never imports onnxruntime); the file is not loaded as a model. */
export async function describeModelFile(client: AnalysisClient, file: Blob & { name: string }): Promise<ModelIo> {
  const bytes = await file.arrayBuffer();
  return client.api.describeModel(file.name, transfer(bytes, [bytes]));
}
