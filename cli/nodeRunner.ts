import * as ort from 'onnxruntime-node';
import type { Runner, TensorMap } from '../src/core/runner.ts';

export interface NodeSessionOptions {
  /** onnxruntime's graph optimisation level; 'all' unless measuring. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Threads inside one op; onnxruntime's default is the number of physical cores. */
  intraOpNumThreads?: number;
}

export interface NodeRunner extends Runner {
  release(): Promise<void>;
}

/** A Runner over one onnxruntime-node CPU session (the CLI's engine; the browser's lives in workers/runtime). */
export async function createNodeRunner(modelPath: string, options: NodeSessionOptions = {}): Promise<NodeRunner> {
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
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
  };
}
