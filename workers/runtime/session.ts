import { InferenceError, ModelFileError } from '../../src/core/errors.ts';
import { declaredTensor, type ModelIo } from '../../src/core/manifest/bindModelIo.ts';
import type { Runner, TensorMap } from '../../src/core/runner.ts';
import type { BackendInfo, ExecutionProvider } from './backend.ts';

type OrtModule = typeof import('onnxruntime-web/wasm');

/**
 * The only place onnxruntime-web is imported. Each entry is loaded with a
 * dynamic import so ORT's pthread helper workers (which re-run the chunk they
 * start from) never re-run a worker's top-level code.
 */
const modules = new Map<ExecutionProvider, Promise<OrtModule>>();

function loadOrt(ep: ExecutionProvider, threads: number): Promise<OrtModule> {
  let module = modules.get(ep);
  if (!module) {
    module = (ep === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm')).then((ort) => {
      ort.env.wasm.numThreads = threads;
      ort.env.logLevel = 'error';
      return ort;
    });
    modules.set(ep, module);
  }
  return module;
}

/**
 * Settles when the GPU device ORT runs on in this worker is lost (destroyed,
 * driver reset, GPU removed), with the browser's reason. ORT may wait forever
 * on a dead device, so the worker kit races every call against this.
 */
let resolveDeviceLost: (reason: string) => void = () => {};
const deviceLost = new Promise<string>((resolve) => {
  resolveDeviceLost = resolve;
});

export function gpuDeviceLost(): Promise<string> {
  return deviceLost;
}

type LosableDevice = { lost: Promise<{ reason?: string; message?: string }> };

/**
 * ORT destroys its WebGPU device when the last WebGPU session is released and makes a new one
 * for the next (measured in Chromium, ORT 1.30: the device's `lost` settles with "destroyed").
 * That loss is ours, not the GPU's: a worker that released its only WebGPU model (an evaluation
 * loading another model, a model moved to WASM by its first-run check) must keep working.
 */
let gpuSessions = 0;
let watchedDevice: LosableDevice | undefined;
const releasedDevices = new WeakSet<LosableDevice>();

/** ORT's WebGPU EP publishes the device it runs on as `env.webgpu.device` once a session opens; watch each new one. */
async function watchDevice(ort: OrtModule): Promise<void> {
  const published = (ort.env.webgpu as unknown as { device?: Promise<LosableDevice> | LosableDevice } | undefined)?.device;
  const device = await Promise.resolve(published).catch(() => undefined);
  if (!device || device === watchedDevice) return;
  watchedDevice = device;
  void device.lost.then((info) => {
    if (!releasedDevices.has(device)) resolveDeviceLost(info.message || info.reason || 'unknown reason');
  });
}

/** Before a WebGPU session is released: if it is the last, the device it leaves is destroyed by ORT on purpose. */
function releasingGpuSession(): void {
  gpuSessions--;
  if (gpuSessions === 0 && watchedDevice) releasedDevices.add(watchedDevice);
}

/** Every create and run goes through one queue: ORT web sessions must not run concurrently. */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

export interface WebRunner extends Runner {
  /** The provider that really runs this session (ORT may fall back silently). */
  readonly ep: ExecutionProvider;
  readonly note?: string;
  /** Set once a WebGPU session's first run disagreed with WASM and WASM runs instead (workers/kit/checkedRunner.ts). */
  readonly verdict?: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Names and shapes as the graph declares them, to check a hand-written spec before the first run. */
  readonly io: ModelIo;
  release(): Promise<void>;
}

/**
 * Create a session on the chosen provider. WebGPU is asked for alone, so a
 * failure surfaces here instead of as ORT's silent fallback; we then retry on
 * WASM and record why.
 */
export async function createWebRunner(bytes: Uint8Array, backend: BackendInfo, label: string): Promise<WebRunner> {
  return serial(async () => {
    if (backend.ep === 'webgpu') {
      try {
        return await open(bytes, 'webgpu', backend.threads, label);
      } catch (error) {
        const reason = (error as Error)?.message ?? String(error);
        const runner = await open(bytes, 'wasm', backend.threads, label);
        return Object.assign(runner, { note: `WebGPU could not run ${label} (${reason.slice(0, 200)}); it runs on WASM` });
      }
    }
    return open(bytes, 'wasm', backend.threads, label);
  });
}

/**
 * The inputs and outputs a model file declares, read by opening it on the CPU (the worker's ORT
 * build, 'wasm' provider, no graph optimisation: nothing runs) and closing it again; the own-model
 * form fills itself from them when a file is picked.
 */
export async function describeModel(bytes: Uint8Array, backend: BackendInfo, label: string): Promise<ModelIo> {
  return serial(async () => {
    const ort = await loadOrt(backend.ep, backend.threads);
    const session = await createSession(ort, bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' }, label);
    const io = { inputs: session.inputMetadata.map(declaredTensor), outputs: session.outputMetadata.map(declaredTensor) };
    await session.release();
    return io;
  });
}

type OrtSession = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/** An ORT session over the bytes; a file ORT cannot open is a ModelFileError naming it and ORT's reason. */
async function createSession(ort: OrtModule, bytes: Uint8Array, options: Parameters<OrtModule['InferenceSession']['create']>[1], label: string): Promise<OrtSession> {
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (error) {
    const reason = typeof error === 'string' ? error : (error as Error)?.message ?? String(error);
    throw new ModelFileError('model-load-failed', `${label}: ${reason}`, { cause: error });
  }
}

async function open(bytes: Uint8Array, ep: ExecutionProvider, threads: number, label: string): Promise<WebRunner> {
  const ort = await loadOrt(ep, threads);
  const session = await createSession(ort, bytes, { executionProviders: [ep], graphOptimizationLevel: 'all' }, label);
  if (ep === 'webgpu') {
    gpuSessions++;
    await watchDevice(ort);
  }
  let released = false;
  return {
    ep,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    io: { inputs: session.inputMetadata.map(declaredTensor), outputs: session.outputMetadata.map(declaredTensor) },
    run: (feeds: TensorMap) =>
      serial(async () => {
        const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, [...t.dims])]));
        try {
          const outputs = await session.run(ortFeeds);
          // Read every output back to the CPU (WebGPU outputs may live on the GPU).
          const read = await Promise.all(Object.entries(outputs).map(async ([name, t]) => [name, { type: t.type, dims: t.dims, data: await t.getData() }] as const));
          return Object.fromEntries(read) as unknown as TensorMap;
        } catch (error) {
          const reason = typeof error === 'string' ? error : (error as Error)?.message ?? String(error);
          throw new InferenceError('inference-failed', `${label} on ${ep}: ${reason}`, { cause: error });
        }
      }),
    release: () =>
      serial(async () => {
        if (released) return;
        released = true;
        if (ep === 'webgpu') releasingGpuSession();
        await session.release();
      }),
  };
}
