import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest, ModelRole } from '../../src/core/manifest/types.ts';
import type { AnalyzeModels } from '../../src/core/pipelines/analyze.ts';
import type { OpenGenerator } from '../../src/core/generation/index.ts';
import { PromptTokenizer } from '../../src/core/text/tokenizer.ts';
import { bindImageModel, openModel } from '../bundle.ts';
import { cudaProviderInstalled, type NodeRunner, type NodeSessionOptions } from '../nodeRunner.ts';

export type DeviceChoice = 'auto' | 'cpu' | 'cuda';
export const DEVICE_CHOICES: readonly DeviceChoice[] = ['auto', 'cpu', 'cuda'];

/** Everything one image of a batch needs: the generator's three sessions and the proxy models. */
export interface BatchModels {
  generator: OpenGenerator;
  proxy: AnalyzeModels & { classifier: NonNullable<AnalyzeModels['classifier']>; segmenter: NonNullable<AnalyzeModels['segmenter']> };
  release(): Promise<void>;
}

const ROLES: ModelRole[] = ['text_encoder', 'unet', 'vae_decoder', 'segmenter', 'classifier'];

/** The roles to open: the one-pass UNet too when the bundle ships it, since a spec's settings may name it. */
async function openAll(dir: string, manifest: Manifest, options: NodeSessionOptions): Promise<Record<string, NodeRunner>> {
  const opened: Record<string, NodeRunner> = {};
  const roles: ModelRole[] = manifest.models.unet_guided ? [...ROLES, 'unet_guided'] : ROLES;
  try {
    for (const role of roles) opened[role] = await openModel(dir, manifest, role, 'fp32', options);
  } catch (error) {
    await Promise.all(Object.values(opened).map((r) => r.release()));
    throw error;
  }
  return opened;
}

/**
 * Opens the five sessions (hash-checked). `auto` uses onnxruntime-node's CUDA
 * execution provider when its library is installed and a session opens on it, and
 * otherwise the CPU, saying which and why through `log`.
 */
export async function openBatchModels(dir: string, manifest: Manifest, opts: { threads?: number; device: DeviceChoice; log: (line: string) => void }): Promise<BatchModels> {
  const tokenizerSpec = manifest.tokenizer;
  if (!tokenizerSpec) throw new Error(`${manifest.id}: the manifest has no tokenizer`);
  if (!manifest.models.classifier || !manifest.models.segmenter) throw new Error(`${manifest.id}: the proxy filter needs the bundle's classifier and segmenter`);
  const tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(dir, tokenizerSpec.file), 'utf8')), tokenizerSpec);
  const threads = opts.threads ? { intraOpNumThreads: opts.threads } : {};

  let device: 'cpu' | 'cuda' = 'cpu';
  let runners: Record<string, NodeRunner> | undefined;
  if (opts.device === 'cuda' || (opts.device === 'auto' && cudaProviderInstalled())) {
    try {
      runners = await openAll(dir, manifest, { ...threads, executionProvider: 'cuda' });
      device = 'cuda';
    } catch (error) {
      if (opts.device === 'cuda') throw error;
      opts.log(`CUDA execution provider did not start (${(error as Error).message}); running on the CPU`);
    }
  } else if (opts.device === 'auto') {
    opts.log('CUDA execution provider not installed with onnxruntime-node; running on the CPU');
  }
  runners ??= await openAll(dir, manifest, threads);
  const opened = runners;
  let proxy: BatchModels['proxy'];
  try {
    proxy = {
      segmenter: { spec: bindImageModel(manifest, 'segmenter', opened.segmenter), runner: opened.segmenter },
      classifier: { spec: bindImageModel(manifest, 'classifier', opened.classifier), runner: opened.classifier, classes: manifest.classes ?? [] },
    };
  } catch (error) {
    await Promise.all(Object.values(opened).map((r) => r.release()));
    throw error;
  }
  opts.log(`models: ${manifest.id} on onnxruntime-node ${device}${opts.threads ? `, ${opts.threads} thread(s) per op` : ''}`);
  return {
    generator: {
      manifest,
      tokenizer,
      runners: { textEncoder: runners.text_encoder, unet: runners.unet, vaeDecoder: runners.vae_decoder, ...(runners.unet_guided ? { unetGuided: runners.unet_guided } : {}) },
      engine: `onnxruntime-node (${device}, fp32)`,
    },
    proxy,
    release: async () => {
      await Promise.all(Object.values(opened).map((r) => r.release()));
    },
  };
}
