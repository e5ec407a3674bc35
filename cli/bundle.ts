import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ManifestError, ModelFileError, StudioError } from '../src/core/errors.ts';
import { bindModelIo } from '../src/core/manifest/bindModelIo.ts';
import type { Manifest, ModelRole, ModelSpec, VariantName } from '../src/core/manifest/types.ts';
import { requireModel, validateBundleIndex, validateManifest } from '../src/core/manifest/validate.ts';
import { verifyFile } from '../src/core/manifest/verifyFile.ts';
import { checkImageModel } from '../src/core/pipelines/analyze.ts';
import { createNodeRunner, type NodeRunner, type NodeSessionOptions } from './nodeRunner.ts';

export const MODELS_ROOT = resolve(import.meta.dirname, '../public/models');

/** The default bundle: first id in public/models/index.json. */
export function defaultBundleDir(): string {
  const index = validateBundleIndex(JSON.parse(readFileSync(join(MODELS_ROOT, 'index.json'), 'utf8')));
  return join(MODELS_ROOT, index[0]);
}

export function readBundle(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new ModelFileError('model-missing', `${path} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ManifestError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return validateManifest(json);
  } catch (error) {
    if (error instanceof StudioError) throw new ManifestError(`${path}: ${error.detail}`);
    throw error;
  }
}

/** Read a model file, check size and sha256 against the manifest, and open an onnxruntime-node session. */
export async function openModel(
  dir: string,
  manifest: Manifest,
  role: ModelRole,
  variant: VariantName = 'fp32',
  options?: NodeSessionOptions,
): Promise<NodeRunner> {
  const spec = requireModel(manifest, role);
  const ref = spec.variants[variant];
  if (!ref) throw new ModelFileError('model-missing', `${role} has no ${variant} variant; it has [${Object.keys(spec.variants).join(', ')}]`);
  const path = join(dir, ref.file);
  if (!existsSync(path)) throw new ModelFileError('model-missing', `${path} does not exist`);
  await verifyFile(ref, readFileSync(path));
  return openOnnx(path, options);
}

/** An onnxruntime-node session over an ONNX file; one onnxruntime cannot open is a ModelFileError naming the file. */
export async function openOnnx(path: string, options?: NodeSessionOptions): Promise<NodeRunner> {
  try {
    return await createNodeRunner(path, options);
  } catch (error) {
    // onnxruntime says "Protobuf parsing failed" and the like; say which file and what it means
    throw new ModelFileError('model-load-failed', `the model file ${path} is not a valid ONNX model (onnxruntime: ${(error as Error)?.message ?? error})`, { cause: error });
  }
}

/**
 * A segmenter's or classifier's manifest entry bound to what its opened graph declares
 * (bindModelIo) and checked against its preprocess (checkImageModel): an input or output name,
 * fixed size, element type or normalization the manifest gets wrong is refused here, before any
 * image; a graph that takes uint8 pixels is fed them, and one that takes or gives float16 halves.
 */
export function bindImageModel(manifest: Manifest, role: 'segmenter' | 'classifier', runner: NodeRunner): ModelSpec {
  const spec = bindModelIo(requireModel(manifest, role), runner.io, role, 'manifest');
  checkImageModel(role, spec);
  return spec;
}

/** A segmenter or classifier opened as `openModel` does, with its spec bound as `bindImageModel` does (the session is released if that refuses). */
export async function openImageModel(
  dir: string,
  manifest: Manifest,
  role: 'segmenter' | 'classifier',
  variant: VariantName = 'fp32',
  options?: NodeSessionOptions,
): Promise<{ spec: ModelSpec; runner: NodeRunner }> {
  const runner = await openModel(dir, manifest, role, variant, options);
  try {
    return { spec: bindImageModel(manifest, role, runner), runner };
  } catch (error) {
    await runner.release();
    throw error;
  }
}
