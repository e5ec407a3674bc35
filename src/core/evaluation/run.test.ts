import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBundleDir, openImageModel, readBundle } from '../../../cli/bundle.ts';
import { openSource } from '../../../cli/fileSource.ts';
import type { NodeRunner } from '../../../cli/nodeRunner.ts';
import { guessColumnMapping } from '../data/columnMapping.ts';
import { parseCsv } from '../data/csvTable.ts';
import type { ModelSpec } from '../manifest/types.ts';
import type { Runner, TensorMap } from '../runner.ts';
import { DEFAULT_REQUEST, EVALUATION_BATCH, planEvaluation } from './request.ts';
import { runEvaluation } from './run.ts';
import { DEFAULT_SETTINGS } from './summary.ts';

/**
 * runEvaluation's retry rule (run.ts): a batch whose model run fails with inference-failed (a NaN
 * output, say) is scored again image by image, so one bad image fails alone; any other failure
 * (a model that does not fit its description) fails every image the same way and is not retried.
 * On the shipped int8 classifier and the example set, counting the classifier's runs.
 */
const EXAMPLES = resolve(import.meta.dirname, '../../../public/examples');
const dir = defaultBundleDir();
const manifest = readBundle(dir);
const images = openSource(join(EXAMPLES, 'images'));
const labels = parseCsv(readFileSync(join(EXAMPLES, 'labels.csv')), 'labels.csv');
const plan = planEvaluation(manifest, { images, labels }, {
  ...DEFAULT_REQUEST,
  variant: 'int8',
  task: 'classification',
  mapping: guessColumnMapping(labels.columns),
  labelMap: {},
  settings: { ...DEFAULT_SETTINGS, bootstrap: { iterations: 0, seed: 0, level: 0.95 } },
});
const total = plan.validation.items.length;
const batches = Math.ceil(total / EVALUATION_BATCH);

let classifier: { spec: ModelSpec; runner: NodeRunner };
beforeAll(async () => {
  classifier = await openImageModel(dir, manifest, 'classifier', 'int8', { intraOpNumThreads: 2 });
});
afterAll(() => classifier?.runner.release());

/** The real classifier, its runs counted, and `change` applied to each run's outputs given its inputs. */
function counted(change?: (feeds: TensorMap, out: TensorMap) => TensorMap) {
  const log = { runs: 0, sizes: [] as number[] };
  const runner: Runner = {
    run: async (feeds) => {
      log.runs++;
      log.sizes.push(Object.values(feeds)[0].dims[0]);
      const out = await classifier.runner.run(feeds);
      return change ? change(feeds, out) : out;
    },
  };
  return { runner, log };
}

describe('runEvaluation: which failed batches are scored again image by image', () => {
  it('a healthy model: one run per batch', async () => {
    const { runner, log } = counted();
    const { cases } = await runEvaluation({ plan, images, models: { classifier: { spec: classifier.spec, runner, classes: manifest.classes! } } });
    expect(total).toBeGreaterThan(EVALUATION_BATCH * 2);
    expect(cases.filter((c) => c.error)).toEqual([]);
    expect(log.runs).toBe(batches);
  });

  it('a model that does not fit its description (2 class names, 4 logits): every image fails with why, and no batch is run again', async () => {
    const { runner, log } = counted();
    const { cases } = await runEvaluation({ plan, images, models: { classifier: { spec: classifier.spec, runner, classes: ['normal', 'abnormal'] } } });
    expect(cases).toHaveLength(total);
    for (const c of cases) expect(c.error).toEqual({ code: 'model-io-mismatch', detail: expect.stringMatching(/: classifier: 2 class name\(s\) given, the model produced 4 logits/) });
    expect(log.runs).toBe(batches);
  });

  it('a model that gives NaN for bright images: those fail alone, their batch-mates are scored as the healthy run scores them', async () => {
    const healthy = await runEvaluation({ plan, images, models: { classifier: { spec: classifier.spec, runner: counted().runner, classes: manifest.classes! } } });
    // NaN logits for every input whose mean is above the set's median, as a float16 overflow gives them
    const means = (feeds: TensorMap) => {
      const x = Object.values(feeds)[0];
      const per = (x.data as Float32Array).length / x.dims[0];
      return Array.from({ length: x.dims[0] }, (_, i) => (x.data as Float32Array).subarray(i * per, (i + 1) * per).reduce((a, v) => a + v, 0) / per);
    };
    const seen: number[] = [];
    await runEvaluation({ plan, images, batch: 1, models: { classifier: { spec: classifier.spec, runner: counted((feeds, out) => (seen.push(...means(feeds)), out)).runner, classes: manifest.classes! } } });
    const median = [...seen].sort((a, b) => a - b)[Math.floor(seen.length / 2)];
    const { runner, log } = counted((feeds, out) => {
      const name = Object.keys(out)[0];
      const logits = Float32Array.from(out[name].data as Float32Array);
      const per = logits.length / out[name].dims[0];
      means(feeds).forEach((m, i) => m > median && logits.fill(NaN, i * per, (i + 1) * per));
      return { ...out, [name]: { ...out[name], data: logits } };
    });
    const { cases } = await runEvaluation({ plan, images, models: { classifier: { spec: classifier.spec, runner, classes: manifest.classes! } } });

    const failed = cases.filter((c) => c.error);
    const bright = seen.filter((m) => m > median).length;
    expect(failed).toHaveLength(bright);
    for (const c of failed) expect(c.error!.code).toBe('inference-failed');
    // batch-mates run alone on a retry: the same probabilities as in the healthy batched run, to float rounding
    cases.forEach((c, i) => {
      if (!c.error) c.probabilities!.forEach((p, k) => expect(p).toBeCloseTo(healthy.cases[i].probabilities![k], 5));
    });
    // a batch with a bright image runs once whole and then once per image; the others once
    const expected = Array.from({ length: batches }, (_, b) => {
      const batch = seen.slice(b * EVALUATION_BATCH, (b + 1) * EVALUATION_BATCH);
      return batch.some((m) => m > median) ? 1 + batch.length : 1;
    }).reduce((a, n) => a + n, 0);
    expect(log.runs).toBe(expected);
    expect(log.runs).toBeGreaterThan(batches);
  });
});
