import { float32Values, type Runner, type Tensorish, type TensorMap } from '../runner.ts';

export interface Agreement {
  /** The largest |difference| over every output, Infinity for a NaN, a missing output or a shape mismatch. */
  maxAbsDiff: number;
  /** The output where it is largest. */
  output: string | undefined;
  agrees: boolean;
}

/** A tensor's values as numbers: floats decoded (float16 included), integers and bools as they are. */
function numbers(tensor: Tensorish): ArrayLike<number> {
  if (tensor.type === 'float32' || tensor.type === 'float16') return float32Values(tensor);
  if (tensor.data instanceof BigInt64Array) return Float64Array.from(tensor.data, Number);
  return tensor.data as ArrayLike<number>;
}

/**
 * How far two runs of one model are apart, over every output the reference returned. They agree
 * when each output's largest |difference| is within `tolerance` times its largest |value| (at
 * least 1): absolute for the usual outputs of magnitude <= 1 (probabilities, noise, pixels in
 * [-1, 1]), relative for large logits or features. An integer output (a label map) differing
 * anywhere by 1 or more disagrees, which only costs speed: the reference runs from then on.
 */
export function compareOutputs(candidate: TensorMap, reference: TensorMap, tolerance = 1e-2): Agreement {
  let worst: Agreement = { maxAbsDiff: 0, output: undefined, agrees: true };
  for (const [name, expected] of Object.entries(reference)) {
    const got = candidate[name];
    const y = numbers(expected);
    const x = got && got.dims.join() === expected.dims.join() ? numbers(got) : undefined;
    let maxAbsDiff = x && x.length === y.length ? 0 : Infinity;
    let scale = 1;
    for (let i = 0; i < y.length && maxAbsDiff !== Infinity; i++) {
      const d = Math.abs(x![i] - y[i]);
      // NaN from either side counts as total disagreement.
      maxAbsDiff = Number.isNaN(d) ? Infinity : Math.max(maxAbsDiff, d);
      scale = Math.max(scale, Math.abs(y[i]));
    }
    const agrees = maxAbsDiff <= tolerance * scale;
    if (!agrees || worst.output === undefined || maxAbsDiff > worst.maxAbsDiff) worst = { maxAbsDiff, output: name, agrees };
    if (!agrees) break;
  }
  return worst;
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
    const { agrees, maxAbsDiff, output } = compareOutputs(candidateOut, referenceOut, this.tolerance);
    if (agrees) {
      await reference.release();
      return candidateOut;
    }
    await this.active.release();
    this.active = reference;
    this.verdict = `output ${output} disagreed with WASM on its first run (max |diff| ${maxAbsDiff.toPrecision(3)})`;
    return referenceOut;
  }

  release(): Promise<void> {
    return this.active.release();
  }
}
