import { createHash } from 'node:crypto';
import { parseNumberOption } from './options.ts';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SegExperimentRow, SegmentationSample } from '../src/core/experiments/segAugmentExperiment.ts';
import { pairMaskFromPng, realSegPairs, segmentationSample } from '../src/core/experiments/segmentationSample.ts';
import { parseCsv } from '../src/core/data/csvTable.ts';
import { experimentChannel, runSegmentationExperiment } from '../src/core/experiments/segmentation.ts';
import { readSegmentationSettings } from '../src/core/experiments/settings.ts';
import { decodeImage } from '../src/core/image/decode.ts';
import { formatInterval as ci } from '../src/core/metrics/bootstrap.ts';
import { analyzeImage, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import { defaultBundleDir, openImageModel, readBundle } from './bundle.ts';

export const usage = `augment-experiment --task segmentation --real DIR --synthetic DIR [--synthetic-masks DIR]
         [--channel NAME] [--sizes 10,25,50] [--ratios 0,1] [--pixels 256] [--seed 1] [--C 1]
         [--bootstrap 1000] [--test-limit N] [--out FILE.json] [--model-dir public/models/<id>] [--threads N]
  A per-pixel logistic head on the frozen segmenter (features: the channel's logit, its
  9x9 box mean, intensity, x, y, |x-0.5|), trained on --pixels uniformly drawn pixels
  (with replacement, not balanced) of each of SIZE real (image, mask) pairs plus
  RATIO·SIZE synthetic ones; reports mean test Dice (head's p >= 0.5) with a 95%
  bootstrap CI and the paired gain over no synthetic images, and the frozen segmenter
  alone. A real DIR has labels.csv with file, mask and split columns (--test-limit keeps
  the first N test rows). A synthetic DIR is the Curate page's zip (labels.csv with an
  image and a mask column) or generate's output: each <name>.json names its conditioning
  mask file and sha256, looked up in --synthetic-masks DIR and checked. --channel
  defaults to lung_shenzhen for a folder named *shenzhen*, else lung.`;

interface Pair {
  image: string;
  mask: string;
}

export function readRealPairs(dir: string, split: 'train' | 'test'): Pair[] {
  const csvPath = join(dir, 'labels.csv');
  return realSegPairs(parseCsv(readFileSync(csvPath), csvPath), split, csvPath).map((p) => ({ image: join(dir, p.image), mask: join(dir, p.mask) }));
}

/** The Curate zip's labels.csv (image, mask), else generate's provenance with the mask found in `masksDir` by name and sha256. */
export function readSyntheticPairs(dir: string, masksDir: string | undefined): Pair[] {
  const csvPath = join(dir, 'labels.csv');
  if (existsSync(csvPath)) {
    const table = parseCsv(readFileSync(csvPath), csvPath);
    if (!table.columns.includes('image') || !table.columns.includes('mask')) throw new Error(`${csvPath}: needs columns image and mask, has [${table.columns.join(', ')}]`);
    return table.rows.filter((r) => r.mask).map((r) => ({ image: join(dir, r.image), mask: join(dir, r.mask) }));
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.flatMap((f) => {
    const provenance = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { mask?: { name?: string; sha256?: string } };
    const image = join(dir, f.replace(/\.json$/, '.png'));
    if (!provenance.mask?.name || !existsSync(image)) return [];
    if (!masksDir) throw new Error(`${join(dir, f)} was conditioned on mask ${provenance.mask.name}: give the folder of conditioning masks as --synthetic-masks DIR`);
    const mask = join(masksDir, basename(provenance.mask.name));
    if (!existsSync(mask)) throw new Error(`${join(dir, f)}: its conditioning mask ${mask} does not exist`);
    const sha256 = createHash('sha256').update(readFileSync(mask)).digest('hex');
    if (sha256 !== provenance.mask.sha256) throw new Error(`${mask}: sha256 ${sha256} differs from ${provenance.mask.sha256} in ${join(dir, f)}, not the mask the image was conditioned on`);
    return [{ image, mask }];
  });
}

async function segment(pair: Pair, models: AnalyzeModels, channel: string): Promise<SegmentationSample> {
  const image = await decodeImage(readFileSync(pair.image));
  const result = await analyzeImage(image, models);
  const probabilities = result.segmentation!.channels.find((c) => c.name === channel)!.probabilities;
  return segmentationSample(image, probabilities, pairMaskFromPng(readFileSync(pair.mask), image, pair.mask, pair.image), pair.image);
}


function formatRow(row: SegExperimentRow): string {
  return `${String(row.size).padStart(5)} ${String(row.ratio).padStart(5)} ${String(row.realCount).padStart(5)} ${String(row.syntheticCount).padStart(6)}  ${ci(row.dice)}  ${row.gain ? ci(row.gain) : '—'}`;
}

export async function runSegmentation(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      task: { type: 'string' }, real: { type: 'string' }, synthetic: { type: 'string' }, 'synthetic-masks': { type: 'string' }, channel: { type: 'string' },
      sizes: { type: 'string' }, ratios: { type: 'string' }, pixels: { type: 'string' }, seed: { type: 'string' }, C: { type: 'string' }, bootstrap: { type: 'string' },
      'test-limit': { type: 'string' }, out: { type: 'string' }, 'model-dir': { type: 'string' }, threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.real || !values.synthetic) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  // 1. Settings (src/core/experiments: the page's defaults and checks), bundle and segmenter (hash-checked), on onnxruntime-node
  const settings = readSegmentationSettings({ sizes: values.sizes, ratios: values.ratios, pixelsPerImage: values.pixels, seed: values.seed, C: values.C, bootstrapIterations: values.bootstrap, testLimit: values['test-limit'] });
  const dir = values['model-dir'] ?? defaultBundleDir();
  const manifest = readBundle(dir);
  const sessionOptions = values.threads ? { intraOpNumThreads: parseNumberOption('threads', values.threads, { integer: true, min: 1, max: 256 }) } : {};
  const segmenter = await openImageModel(dir, manifest, 'segmenter', 'fp32', sessionOptions);
  const models: AnalyzeModels = { segmenter };
  const channel = experimentChannel((segmenter.spec.channels ?? []).map((c) => c.name), basename(resolve(values.real)), values.channel);

  // 2. Pairs, then the experiment: only the images a row can use are segmented
  const pools = { real: readRealPairs(values.real, 'train'), synthetic: readSyntheticPairs(values.synthetic, values['synthetic-masks']), test: readRealPairs(values.real, 'test') };
  const result = await runSegmentationExperiment({ settings, pools, segment: (pair) => segment(pair, models, channel) });
  const { real, synthetic, test } = result.counts;
  console.error(`channel ${channel}: ${real} of ${pools.real.length} real training pairs, ${synthetic} of ${pools.synthetic.length} synthetic, ${test} test`);
  console.log(`frozen segmenter alone (${channel}): Dice ${ci(result.frozen)}`);
  console.log(` size ratio  real  synth  Dice [95% CI]            gain vs ratio 0 [95% CI]`);
  for (const row of result.rows) console.log(formatRow(row));
  if (values.out) {
    const report = {
      task: 'segmentation', bundle: manifest.id, channel, seed: settings.seed, C: settings.C, pixels_per_image: settings.pixelsPerImage, bootstrap: settings.bootstrapIterations,
      counts: result.counts, frozen: result.frozen, rows: result.rows,
    };
    writeFileSync(values.out, JSON.stringify(report, null, 1));
  }
  return 0;
}
