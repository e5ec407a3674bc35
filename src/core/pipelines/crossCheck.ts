import type { Runner, TensorMap } from '../runner.ts';

export interface Agreement {
  maxAbsDiff: number;
  agrees: boolean;
}

/** How far apart two runs' `output` are: the largest |difference|, Infinity for a NaN or a length mismatch. */
export function compareOutputs(a: TensorMap, b: TensorMap, output: string, tolerance = 1e-2): Agreement {
  const x = a[output].data as Float32Array;
  const y = b[output].data as Float32Array;
  let maxAbsDiff = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < x.length && maxAbsDiff !== Infinity; i++) {
    const d = Math.abs(x[i] - y[i]);
    // NaN from either side counts as total disagreement.
    maxAbsDiff = Number.isNaN(d) ? Infinity : Math.max(maxAbsDiff, d);
  }
  return { maxAbsDiff, agrees: maxAbsDiff <= tolerance };
}

export interface ReleasableRunner extends Runner {
  release(): Promise<void>;
}

/**
 * A runner (e.g. a WebGPU session) that checks itself against a reference (a WASM session of
 * the same model) on its first run, with that run's real inputs. Some WebGPU kernels return
 * wrong numbers without an error on some adapters; this is how a worker finds out before the
 * user sees it. If the two agree, the reference is released and the candidate runs from then
 * on; if not, the candidate is released, the reference's output is returned and the reference
 * runs from then on, and `verdict` says why.
 *
 * Checking on the first real run instead of on a separate probe input at load spares a slow
 * adapter a whole extra pass per model: SwiftShader's WebGPU takes 75-100 s per run of the
 * shipped VAE decoder (BENCHMARKS.md).
 */
export class FirstRunCheck<R extends ReleasableRunner> implements Runner {
  private active: R;
  private openReference: (() => Promise<R>) | undefined;
  private checking: Promise<unknown> | undefined;
  /** Why the reference runs instead of the candidate; undefined while the candidate runs. */
  verdict: string | undefined;

  constructor(
    candidate: R,
    openReference: () => Promise<R>,
    private readonly output: string,
    private readonly tolerance = 1e-2,
  ) {
    this.active = candidate;
    this.openReference = openReference;
  }

  /** The runner that runs now. */
  get current(): R {
    return this.active;
  }

  /** Whether the first run has been checked yet. */
  get checked(): boolean {
    return this.openReference === undefined;
  }

  async run(feeds: TensorMap): Promise<TensorMap> {
    // a second run while the first is being checked waits for the verdict
    while (this.checking) await this.checking.catch(() => undefined);
    const open = this.openReference;
    if (!open) return this.active.run(feeds);
    const check = this.check(open, feeds);
    this.checking = check;
    try {
      return await check;
    } finally {
      this.checking = undefined;
    }
  }

  private async check(open: () => Promise<R>, feeds: TensorMap): Promise<TensorMap> {
    const reference = await open();
    let outputs: [TensorMap, TensorMap];
    try {
      outputs = [await this.active.run(feeds), await reference.run(feeds)];
    } catch (error) {
      // a run that failed decides nothing: the next run is checked instead
      await reference.release();
      throw error;
    }
    this.openReference = undefined;
    const [candidateOut, referenceOut] = outputs;
    const { agrees, maxAbsDiff } = compareOutputs(candidateOut, referenceOut, this.output, this.tolerance);
    if (agrees) {
      await reference.release();
      return candidateOut;
    }
    await this.active.release();
    this.active = reference;
    this.verdict = `output disagreed with WASM on its first run (max |diff| ${maxAbsDiff.toPrecision(3)})`;
    return referenceOut;
  }

  release(): Promise<void> {
    return this.active.release();
  }
}
