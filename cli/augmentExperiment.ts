import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseNumberOption } from './options.ts';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExperimentRow } from '../src/core/experiments/augmentExperiment.ts';
import { findingClassOfPrompt } from '../src/core/curation/promptFinding.ts';
import { parseCsv } from '../src/core/data/csvTable.ts';
import { runClassificationExperiment } from '../src/core/experiments/classification.ts';
import { experimentClasses, labelledRows } from '../src/core/experiments/labelledRows.ts';
import { readClassificationSettings } from '../src/core/experiments/settings.ts';
import { decodeImage } from '../src/core/image/decode.ts';
import { formatInterval as ci } from '../src/core/metrics/bootstrap.ts';
import type { Manifest } from '../src/core/manifest/types.ts';
import { analyzeImage, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import { defaultBundleDir, openImageModel, readBundle } from './bundle.ts';
import { runSegmentation, usage as segmentationUsage } from './segAugmentExperiment.ts';

export const usage = `augment-experiment [--task classification] --real DIR --synthetic DIR [--test DIR] [--classes a,b] [--sizes 50,100,200]
         [--ratios 0,0.5,1,2] [--seed 1] [--C 1] [--bootstrap 1000] [--out FILE.json]
         [--min-probability P] [--features-cache FILE.json] [--model-dir public/models/<id>] [--threads N]
  Trains a logistic-regression head on the classifier's frozen features with SIZE real
  training images plus RATIO·SIZE synthetic ones, and reports test F1 (binary: the second
  class; else macro) with a 95% bootstrap CI and the paired gain over no synthetic images.
  A real DIR has labels.csv (file or image, label, optional split: train rows train, test
  rows test; --test defaults to --real). A synthetic DIR has labels.csv (as the Curate
  page's zip) or the provenance JSON of \`generate\` (label = the prompt's finding).
  --min-probability P: the proxy filter on the synthetic set: keep an image only when the
  bundle classifier gives its label (a class of the bundle) a probability >= P.
${segmentationUsage}`;

interface Sample {
  path: string;
  label: string;
}

/** labels.csv rows (of `split` when the file has a split column), or generate's provenance files. */
export function readSamples(dir: string, split: 'train' | 'test' | undefined, manifest: Manifest): Sample[] {
  const csvPath = join(dir, 'labels.csv');
  if (existsSync(csvPath)) {
    return labelledRows(parseCsv(readFileSync(csvPath), csvPath), csvPath, split).map((r) => ({ path: join(dir, r.file), label: r.label }));
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      const provenance = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { prompt?: string };
      const label = provenance.prompt ? findingClassOfPrompt(provenance.prompt, manifest.classes ?? []) : null;
      const image = join(dir, f.replace(/\.json$/, '.png'));
      return label && existsSync(image) ? [{ path: image, label }] : [];
    });
}

/** Per image path: the classifier's features and class probabilities. */
type FeatureCache = Record<string, { features: number[]; probabilities: number[] }>;

async function classify(sample: Sample, models: AnalyzeModels, cache: FeatureCache): Promise<FeatureCache[string]> {
  const key = relative(process.cwd(), resolve(sample.path));
  if (!cache[key]) {
    const result = await analyzeImage(await decodeImage(readFileSync(sample.path)), models);
    const vector = result.classification?.features;
    if (!vector) throw new Error(`the classifier gave no "features" output for ${sample.path}`);
    cache[key] = { features: Array.from(vector), probabilities: result.classification!.probabilities };
  }
  return cache[key];
}

function formatRow(row: ExperimentRow): string {
  return `${String(row.size).padStart(5)} ${String(row.ratio).padStart(5)} ${String(row.realCount).padStart(5)} ${String(row.syntheticCount).padStart(6)}  ${ci(row.f1)}  ${row.gain ? ci(row.gain) : '—'}`;
}

export async function run(argv: string[]): Promise<number> {
  const task = parseArgs({ args: argv, options: { task: { type: 'string', default: 'classification' } }, strict: false }).values.task;
  if (task === 'segmentation') return runSegmentation(argv);
  if (task !== 'classification') throw new Error(`--task ${String(task)}: expected classification or segmentation`);
  const { values } = parseArgs({
    args: argv,
    options: {
      real: { type: 'string' }, synthetic: { type: 'string' }, test: { type: 'string' }, classes: { type: 'string' },
      sizes: { type: 'string' }, ratios: { type: 'string' }, seed: { type: 'string' }, C: { type: 'string' }, bootstrap: { type: 'string' },
      out: { type: 'string' }, 'min-probability': { type: 'string' }, 'features-cache': { type: 'string' }, 'model-dir': { type: 'string' }, threads: { type: 'string' },
      task: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.real || !values.synthetic) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  // 1. Settings (src/core/experiments: the page's defaults and checks), bundle and classifier (hash-checked), on onnxruntime-node
  const settings = readClassificationSettings({ sizes: values.sizes, ratios: values.ratios, seed: values.seed, C: values.C, bootstrapIterations: values.bootstrap });
  const minProbability = parseNumberOption('min-probability', values['min-probability'], { min: 0, max: 1 });
  const dir = values['model-dir'] ?? defaultBundleDir();
  const manifest = readBundle(dir);
  const sessionOptions = values.threads ? { intraOpNumThreads: parseNumberOption('threads', values.threads, { integer: true, min: 1, max: 256 }) } : {};
  const models: AnalyzeModels = { classifier: { ...(await openImageModel(dir, manifest, 'classifier', 'fp32', sessionOptions)), classes: manifest.classes ?? [] } };

  // 2. Samples and classes
  const real = readSamples(values.real, 'train', manifest);
  const test = readSamples(values.test ?? values.real, 'test', manifest);
  const synthetic = readSamples(values.synthetic, undefined, manifest);
  const classes = experimentClasses(real.map((s) => s.label), values.classes?.split(','));
  const syntheticKept = synthetic.filter((s) => classes.includes(s.label));
  console.error(`classes [${classes.join(', ')}]: ${real.filter((s) => classes.includes(s.label)).length} real training, ${test.filter((s) => classes.includes(s.label)).length} test, ${syntheticKept.length} synthetic images (${synthetic.length - syntheticKept.length} synthetic left out: other labels)`);

  // 3. Frozen features and probabilities, cached by path so a rerun only trains
  const cachePath = values['features-cache'];
  const cache: FeatureCache = cachePath && existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : {};
  let syntheticUsed = syntheticKept;
  if (minProbability !== undefined) {
    const bundleClasses = manifest.classes ?? [];
    const scored: FeatureCache[string][] = [];
    for (const sample of syntheticKept) scored.push(await classify(sample, models, cache));
    syntheticUsed = syntheticKept.filter((s, i) => bundleClasses.includes(s.label) && scored[i].probabilities[bundleClasses.indexOf(s.label)] >= minProbability);
    console.error(`proxy filter p(label) >= ${minProbability}: ${syntheticUsed.length} of ${syntheticKept.length} synthetic images kept`);
  }

  // 4. The experiment
  const { rows, counts } = await runClassificationExperiment({
    settings, classes, real, test, synthetic: syntheticUsed,
    features: async (sample) => (await classify(sample, models, cache)).features,
    onFeatures: (done, total) => done % 50 === 0 && console.error(`features ${done}/${total}`),
  });
  if (cachePath) writeFileSync(cachePath, JSON.stringify(cache));
  console.log(` size ratio  real  synth  F1 [95% CI]             gain vs ratio 0 [95% CI]`);
  for (const row of rows) console.log(formatRow(row));
  if (values.out) {
    const report = { bundle: manifest.id, classes, seed: settings.seed, C: settings.C, bootstrap: settings.bootstrapIterations, min_probability: minProbability ?? null, counts, rows };
    writeFileSync(values.out, JSON.stringify(report, null, 1));
  }
  return 0;
}
