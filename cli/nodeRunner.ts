import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { declaredTensor, type ModelIo } from '../src/core/manifest/bindModelIo.ts';
import type { Runner, TensorMap } from '../src/core/runner.ts';

export interface NodeSessionOptions {
  /** onnxruntime's graph optimisation level; 'all' unless measuring. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Threads inside one op; onnxruntime's default is the number of physical cores. */
  intraOpNumThreads?: number;
  /** 'cuda' needs onnxruntime-node's CUDA provider library (see cudaProviderInstalled); default 'cpu'. */
  executionProvider?: 'cpu' | 'cuda';
}

/**
 * Whether onnxruntime-node's CUDA provider library sits next to its binding: its install
 * script downloads it on a machine with CUDA unless ONNXRUNTIME_NODE_INSTALL=skip.
 */
export function cudaProviderInstalled(): boolean {
  const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  return existsSync(join(root, 'bin/napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
}

export interface NodeRunner extends Runner {
  release(): Promise<void>;
  /** The inputs and outputs the graph declares (names, shapes, element types). */
  readonly io: ModelIo;
}

/** A Runner over one onnxruntime-node session, on the CPU unless asked for CUDA (the CLI's engine; the browser's lives in workers/runtime). */
export async function createNodeRunner(modelPath: string, options: NodeSessionOptions = {}): Promise<NodeRunner> {
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: [options.executionProvider ?? 'cpu'],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  });
  return {
    async run(feeds: TensorMap): Promise<TensorMap> {
      const ortFeeds = Object.fromEntries(
        Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, [...t.dims])]),
      );
      return (await session.run(ortFeeds)) as unknown as TensorMap;
    },
    release: () => session.release(),
    io: { inputs: session.inputMetadata.map(declaredTensor), outputs: session.outputMetadata.map(declaredTensor) },
  };
}
