import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeRunner, type NodeRunner } from '../../../cli/nodeRunner.ts';
import { REFERENCE_DIR, referencePresent } from '../../../cli/testing/referenceBundle.ts';
import { standardNormal } from '../rng.ts';
import { float16Tensor, float32Tensor, int64Tensor, type TensorMap } from '../runner.ts';
import { compareOutputs, FirstRunCheck, type ReleasableRunner } from './crossCheck.ts';

const DECODER = join(REFERENCE_DIR, 'vae_decoder.onnx');
const latent = (seed: number): TensorMap => ({ latent: float32Tensor(standardNormal(seed, 4 * 32 * 32), [1, 4, 32, 32]) });

/** A real session, with what happened to it written down. */
function watched(runner: NodeRunner, change?: (out: TensorMap) => TensorMap) {
  const log = { runs: 0, released: false };
  const wrapped: ReleasableRunner = {
    run: async (feeds) => {
      log.runs++;
      const out = await runner.run(feeds);
      return change ? change(out) : out;
    },
    release: async () => {
      log.released = true;
      await runner.release();
    },
  };
  return { runner: wrapped, log };
}

/** A wrong kernel, as seen from outside: the right shape with every 7th value shifted by 0.5. */
const shifted = (out: TensorMap): TensorMap => ({ image: { ...out.image, data: (out.image.data as Float32Array).map((v, i) => (i % 7 === 0 ? v + 0.5 : v)) } });

describe.skipIf(!referencePresent())('FirstRunCheck on the reference-v0 VAE decoder (onnxruntime-node)', () => {
  it('two sessions that agree: the candidate answers, the reference is opened once, run once and released', async () => {
    const plain = await createNodeRunner(DECODER, { graphOptimizationLevel: 'disabled' });
    const expected = await plain.run(latent(1));
    const candidate = watched(await createNodeRunner(DECODER, { graphOptimizationLevel: 'all' }));
    let opened = 0;
    const reference = watched(plain);
    const check = new FirstRunCheck(candidate.runner, async () => (opened++, reference.runner));
    expect(check.checked).toBe(false);

    const first = await check.run(latent(1));
    expect(compareOutputs(first, expected).maxAbsDiff).toBeLessThan(1e-4);
    expect(check.checked).toBe(true);
    expect(check.verdict).toBeUndefined();
    expect(check.current).toBe(candidate.runner);
    expect(reference.log).toEqual({ runs: 1, released: true });

    await check.run(latent(2));
    expect(opened).toBe(1);
    expect(candidate.log.runs).toBe(2);
    await check.release();
    expect(candidate.log.released).toBe(true);
  });

  it('a candidate that disagrees: the reference answers the first run and every run after it, and the verdict says by how much', async () => {
    const candidate = watched(await createNodeRunner(DECODER), shifted);
    const reference = watched(await createNodeRunner(DECODER));
    const check = new FirstRunCheck(candidate.runner, async () => reference.runner);

    const first = await check.run(latent(1));
    const plain = await createNodeRunner(DECODER);
    const truth = await plain.run(latent(1));
    await plain.release();
    expect(compareOutputs(first, truth).maxAbsDiff).toBeLessThan(1e-4);
    expect(check.verdict).toBe('output image disagreed with WASM on its first run (max |diff| 0.500)');
    expect(check.current).toBe(reference.runner);
    expect(candidate.log).toEqual({ runs: 1, released: true });

    await check.run(latent(2));
    expect(candidate.log.runs).toBe(1);
    expect(reference.log.runs).toBe(2);
    await check.release();
    expect(reference.log.released).toBe(true);
  });

  it('a first run that fails decides nothing: the reference is released and the next run is checked', async () => {
    const real = await createNodeRunner(DECODER);
    let failures = 1;
    const candidate: ReleasableRunner = {
      run: async (feeds) => {
        if (failures-- > 0) throw new Error('device lost');
        return real.run(feeds);
      },
      release: () => real.release(),
    };
    const references: ReturnType<typeof watched>[] = [];
    const check = new FirstRunCheck(candidate, async () => {
      const reference = watched(await createNodeRunner(DECODER));
      references.push(reference);
      return reference.runner;
    });

    await expect(check.run(latent(1))).rejects.toThrow('device lost');
    expect(check.checked).toBe(false);
    expect(references.map((r) => r.log)).toEqual([{ runs: 0, released: true }]);

    await check.run(latent(1));
    expect(check.checked).toBe(true);
    expect(check.verdict).toBeUndefined();
    expect(references.map((r) => r.log)).toEqual([{ runs: 0, released: true }, { runs: 1, released: true }]);
  });

  it('two runs at once: the second waits for the first one\'s verdict and is not checked again', async () => {
    const candidate = watched(await createNodeRunner(DECODER), shifted);
    let opened = 0;
    const reference = watched(await createNodeRunner(DECODER));
    const check = new FirstRunCheck(candidate.runner, async () => (opened++, reference.runner));
    await Promise.all([check.run(latent(1)), check.run(latent(2))]);
    expect(opened).toBe(1);
    expect(candidate.log.runs).toBe(1);
    expect(reference.log.runs).toBe(2);
  });
});

describe('compareOutputs', () => {
  const out = (...values: number[]): TensorMap => ({ y: float32Tensor(Float32Array.from(values), [values.length]) });
  it('gives the largest |difference| and where it is, and Infinity for a NaN on either side, a shape mismatch or a missing output', () => {
    expect(compareOutputs(out(1, 0.5, 0), out(1, 0.75, 0))).toEqual({ maxAbsDiff: 0.25, output: 'y', agrees: false });
    expect(compareOutputs(out(1, 0.5, 0), out(1, 0.505, 0)).agrees).toBe(true);
    expect(compareOutputs(out(1, NaN), out(1, 2)).maxAbsDiff).toBe(Infinity);
    expect(compareOutputs(out(1, 2), out(1, NaN)).maxAbsDiff).toBe(Infinity);
    expect(compareOutputs(out(1, 2), out(1, 2, 3)).maxAbsDiff).toBe(Infinity);
    expect(compareOutputs({ y: float32Tensor(Float32Array.of(1, 2), [2, 1]) }, { y: float32Tensor(Float32Array.of(1, 2), [1, 2]) }).agrees).toBe(false);
    expect(compareOutputs({}, out(1))).toEqual({ maxAbsDiff: Infinity, output: 'y', agrees: false });
  });

  it('checks every output the reference returned, not only the first', () => {
    const two = (features: number) => ({ ...out(0.1, 0.9), features: float32Tensor(Float32Array.of(features, 0), [2]) });
    expect(compareOutputs(two(0.3), two(0.3)).agrees).toBe(true);
    expect(compareOutputs(two(0.3), two(0.8))).toEqual({ maxAbsDiff: 0.5, output: 'features', agrees: false });
  });

  it('is relative for outputs larger than 1 (logits, features) and absolute below', () => {
    expect(compareOutputs(out(250, 1), out(251, 1)).agrees).toBe(true);
    expect(compareOutputs(out(250, 1), out(253, 1)).agrees).toBe(false);
    expect(compareOutputs(out(0.001, 0), out(0.009, 0)).agrees).toBe(true);
  });

  it('decodes float16 outputs (half bits or Float16Array) and compares integer outputs as numbers', () => {
    const half = (...values: number[]) => ({ y: float16Tensor(Float32Array.from(values), [values.length]) });
    expect(compareOutputs(half(0.25, -0.5), out(0.25, -0.5))).toEqual({ maxAbsDiff: 0, output: 'y', agrees: true });
    expect(compareOutputs(half(0.25, -0.5), half(0.25, 0.5)).maxAbsDiff).toBe(1);
    const labels = (...values: number[]): TensorMap => ({ y: int64Tensor(BigInt64Array.from(values.map(BigInt)), [values.length]) });
    expect(compareOutputs(labels(0, 1, 2), labels(0, 1, 2)).agrees).toBe(true);
    expect(compareOutputs(labels(0, 1, 2), labels(0, 2, 2))).toEqual({ maxAbsDiff: 1, output: 'y', agrees: false });
  });
});
