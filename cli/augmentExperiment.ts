import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseNumberList, parseNumberOption } from './options.ts';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAugmentExperiment, type ExperimentRow, type LabelledFeatures } from '../src/core/curation/augmentExperiment.ts';
import { findingClassOfPrompt } from '../src/core/curation/promptFinding.ts';
import { parseCsv } from '../src/core/data/csvTable.ts';
import { decodeImage } from '../src/core/image/decode.ts';
import type { Manifest } from '../src/core/manifest/types.ts';
import { requireModel } from '../src/core/manifest/validate.ts';
import { analyzeImage, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import { defaultBundleDir, openModel, readBundle } from './bundle.ts';
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
    const table = parseCsv(readFileSync(csvPath), csvPath);
    const fileColumn = table.columns.includes('file') ? 'file' : 'image';
    if (!table.columns.includes(fileColumn) || !table.columns.includes('label')) throw new Error(`${csvPath}: needs columns "file" (or "image") and "label", has [${table.columns.join(', ')}]`);
    const rows = split && table.columns.includes('split') ? table.rows.filter((r) => r.split === split) : table.rows;
    return rows.filter((r) => r.label).map((r) => ({ path: join(dir, r[fileColumn]), label: r.label }));
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

async function classify(samples: Sample[], models: AnalyzeModels, cache: FeatureCache, onEach: () => void): Promise<FeatureCache[string][]> {
  const out: FeatureCache[string][] = [];
  for (const sample of samples) {
    const key = relative(process.cwd(), resolve(sample.path));
    if (!cache[key]) {
      const result = await analyzeImage(await decodeImage(readFileSync(sample.path)), models);
      const vector = result.classification?.features;
      if (!vector) throw new Error(`the classifier gave no "features" output for ${sample.path}`);
      cache[key] = { features: Array.from(vector), probabilities: result.classification!.probabilities };
    }
    out.push(cache[key]);
    onEach();
  }
  return out;
}

function formatRow(row: ExperimentRow): string {
  const ci = (i: { estimate: number; low: number; high: number }) => `${i.estimate.toFixed(3)} [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]`;
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
      sizes: { type: 'string', default: '50,100,200' }, ratios: { type: 'string', default: '0,0.5,1,2' },
      seed: { type: 'string', default: '1' }, C: { type: 'string', default: '1' }, bootstrap: { type: 'string', default: '1000' },
      out: { type: 'string' }, 'min-probability': { type: 'string' }, 'features-cache': { type: 'string' }, 'model-dir': { type: 'string' }, threads: { type: 'string' },
      task: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.real || !values.synthetic) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  // 1. Bundle and classifier (hash-checked), on onnxruntime-node
  const dir = values['model-dir'] ?? defaultBundleDir();
  const manifest = readBundle(dir);
  const sessionOptions = values.threads ? { intraOpNumThreads: parseNumberOption('threads', values.threads, { integer: true, min: 1, max: 256 }) } : {};
  const models: AnalyzeModels = { classifier: { spec: requireModel(manifest, 'classifier'), runner: await openModel(dir, manifest, 'classifier', 'fp32', sessionOptions), classes: manifest.classes ?? [] } };

  // 2. Samples and classes
  const real = readSamples(values.real, 'train', manifest);
  const test = readSamples(values.test ?? values.real, 'test', manifest);
  const synthetic = readSamples(values.synthetic, undefined, manifest);
  const classes = values.classes ? values.classes.split(',') : [...new Set(real.map((s) => s.label))].sort();
  const keep = (samples: Sample[]) => samples.filter((s) => classes.includes(s.label));
  const [realKept, testKept, syntheticKept] = [keep(real), keep(test), keep(synthetic)];
  console.error(`classes [${classes.join(', ')}]: ${realKept.length} real training, ${testKept.length} test, ${syntheticKept.length} synthetic images (${synthetic.length - syntheticKept.length} synthetic left out: other labels)`);

  // 3. Frozen features, cached by path so a rerun only trains
  const cachePath = values['features-cache'];
  const cache: FeatureCache = cachePath && existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : {};
  let done = 0;
  const total = realKept.length + testKept.length + syntheticKept.length;
  const tick = () => ++done % 50 === 0 && console.error(`features ${done}/${total}`);
  const labelled = async (samples: Sample[]): Promise<LabelledFeatures> => ({ features: (await classify(samples, models, cache, tick)).map((c) => c.features), labels: samples.map((s) => classes.indexOf(s.label)) });
  const minProbability = parseNumberOption('min-probability', values['min-probability'], { min: 0, max: 1 });
  let syntheticUsed = syntheticKept;
  if (minProbability !== undefined) {
    const bundleClasses = manifest.classes ?? [];
    const scored = await classify(syntheticKept, models, cache, tick);
    syntheticUsed = syntheticKept.filter((s, i) => bundleClasses.includes(s.label) && scored[i].probabilities[bundleClasses.indexOf(s.label)] >= minProbability);
    console.error(`proxy filter p(label) >= ${minProbability}: ${syntheticUsed.length} of ${syntheticKept.length} synthetic images kept`);
  }
  const sets = { real: await labelled(realKept), test: await labelled(testKept), synthetic: await labelled(syntheticUsed) };
  if (cachePath) writeFileSync(cachePath, JSON.stringify(cache));

  // 4. The experiment
  const setup = {
    ...sets, classCount: classes.length, sizes: parseNumberList('sizes', values.sizes!), ratios: parseNumberList('ratios', values.ratios!),
    seed: parseNumberOption('seed', values.seed!, { integer: true, min: 0 }), C: parseNumberOption('C', values.C!, { min: Number.MIN_VALUE }),
    bootstrapIterations: parseNumberOption('bootstrap', values.bootstrap!, { integer: true, min: 0 }),
  };
  const rows = runAugmentExperiment(setup);
  console.log(` size ratio  real  synth  F1 [95% CI]             gain vs ratio 0 [95% CI]`);
  for (const row of rows) console.log(formatRow(row));
  if (values.out) {
    const report = { bundle: manifest.id, classes, seed: setup.seed, C: setup.C, bootstrap: setup.bootstrapIterations, min_probability: minProbability ?? null, counts: { real: realKept.length, test: testKept.length, synthetic: syntheticUsed.length }, rows };
    writeFileSync(values.out, JSON.stringify(report, null, 1));
  }
  return 0;
}
