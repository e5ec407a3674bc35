import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage } from '../src/core/image/decode.ts';
import { maskWarnings } from '../src/core/image/maskWarnings.ts';
import { decodeRadiograph } from '../src/core/image/plausibility.ts';
import { groundTruthMask } from '../src/core/mask/groundTruth.ts';
import { dice } from '../src/core/metrics/dice.ts';
import { analyzeImage, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import { defaultBundleDir, openImageModel, readBundle } from './bundle.ts';
import { parseNumberOption, UsageError } from './options.ts';

export const usage = `analyze <image...> [--json] [--masks DIR [--channel NAME]] [--model-dir public/models/<id>] [--threads N]
  Segment and classify images with the bundle's segmenter and classifier on
  onnxruntime-node. --masks DIR: ground-truth masks matched by file stem
  (DIR/<stem>.png; foreground >= half the mask's maximum, as in evaluate); Dice is computed against segmenter channel NAME (default:
  the first channel; pick the one whose convention matches the masks).`;

export interface ImageReport {
  file: string;
  width: number;
  height: number;
  mask_area?: Record<string, { pixels: number; fraction: number }>;
  probabilities?: Record<string, number>;
  top_class?: string;
  dice?: number | null;
  /** What was done to read the image (narrower window, masked bits, alpha). */
  notes?: string[];
  /** Doubts about its ground-truth mask (inverted, nearly empty, in the alpha channel). */
  mask_warnings?: string[];
  ms: number;
  error?: { code: string; detail: string };
}

export interface AnalyzeReport {
  bundle: string;
  engine: string;
  dice_channel?: string;
  images: ImageReport[];
  mean_dice?: number;
}

export async function analyzeFiles(files: string[], opts: { modelDir?: string; masks?: string; channel?: string; threads?: number }): Promise<AnalyzeReport> {
  // 1. Load the bundle and open its analysis models (hash-checked)
  if (opts.masks !== undefined && !(existsSync(opts.masks) && statSync(opts.masks).isDirectory())) {
    throw new UsageError(`--masks ${opts.masks}: ${existsSync(opts.masks) ? 'is not a folder' : 'no such folder'}`);
  }
  const dir = opts.modelDir ?? defaultBundleDir();
  const manifest = readBundle(dir);
  const sessionOptions = opts.threads ? { intraOpNumThreads: opts.threads } : {};
  const models: AnalyzeModels = {};
  if (manifest.models.segmenter) models.segmenter = await openImageModel(dir, manifest, 'segmenter', 'fp32', sessionOptions);
  if (manifest.models.classifier) models.classifier = { ...(await openImageModel(dir, manifest, 'classifier', 'fp32', sessionOptions)), classes: manifest.classes ?? [] };

  const channels = manifest.models.segmenter?.channels ?? [];
  const diceChannel = opts.channel ? channels.findIndex((c) => c.name === opts.channel) : 0;
  if (diceChannel < 0) throw new Error(`--channel ${opts.channel}: the segmenter has channels [${channels.map((c) => c.name).join(', ')}]`);

  // 2. Analyze each image; a bad file is reported, not fatal
  const images: ImageReport[] = [];
  for (const file of files) {
    const started = performance.now();
    try {
      const image = await decodeRadiograph(readFileSync(file));
      const result = await analyzeImage(image, models);
      const report: ImageReport = { file, width: result.width, height: result.height, ms: 0 };
      if (image.notes?.length) report.notes = image.notes;
      if (result.segmentation) {
        report.mask_area = Object.fromEntries(result.segmentation.channels.map((c) => [c.name, c.area]));
        if (opts.masks) {
          const truthPath = join(opts.masks, `${basename(file, extname(file))}.png`);
          const truth = existsSync(truthPath) ? await diceAgainst(truthPath, result.segmentation.channels[diceChannel].mask, result.width, result.height) : undefined;
          report.dice = truth?.dice ?? null;
          if (truth?.warnings.length) report.mask_warnings = truth.warnings;
        }
      }
      if (result.classification) {
        const { classes, probabilities } = result.classification;
        report.probabilities = Object.fromEntries(classes.map((c, i) => [c, probabilities[i]]));
        report.top_class = classes[probabilities.indexOf(Math.max(...probabilities))];
      }
      report.ms = Math.round(performance.now() - started);
      images.push(report);
    } catch (error) {
      const { code: rawCode = 'unknown', message } = error as { code?: string; message: string };
      // node's fs codes (ENOENT, EISDIR, EACCES) say the file could not be read; the message names it
      const code = /^E[A-Z]+$/.test(rawCode) ? 'file-unreadable' : rawCode;
      images.push({ file, width: 0, height: 0, ms: Math.round(performance.now() - started), error: { code, detail: message } });
    }
  }

  // 3. Summarise
  const dices = images.map((r) => r.dice).filter((d): d is number => typeof d === 'number');
  await Promise.all([models.segmenter?.runner, models.classifier?.runner].map((r) => (r as { release?: () => Promise<void> } | undefined)?.release?.()));
  return {
    bundle: manifest.id,
    engine: 'onnxruntime-node (cpu)',
    ...(opts.masks && channels[diceChannel] ? { dice_channel: channels[diceChannel].name } : {}),
    images,
    ...(dices.length ? { mean_dice: dices.reduce((a, b) => a + b, 0) / dices.length } : {}),
  };
}

async function diceAgainst(truthPath: string, mask: Uint8Array, width: number, height: number): Promise<{ dice: number; warnings: string[] }> {
  let truth;
  try {
    truth = await decodeImage(readFileSync(truthPath));
  } catch (error) {
    const { code = 'unknown', message } = error as { code?: string; message: string };
    throw Object.assign(new Error(`ground-truth mask ${truthPath}: ${message}`), { code });
  }
  if (truth.width !== width || truth.height !== height) {
    throw Object.assign(new Error(`ground-truth mask ${truthPath} is ${truth.width}x${truth.height}, image is ${width}x${height}`), { code: 'mask-size-mismatch' });
  }
  const binary = groundTruthMask(truth.values);
  return { dice: dice(mask, binary), warnings: maskWarnings(binary, width, height, truth.notes) };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      masks: { type: 'string' },
      channel: { type: 'string' },
      'model-dir': { type: 'string' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const report = await analyzeFiles(positionals, {
    modelDir: values['model-dir'],
    masks: values.masks,
    channel: values.channel,
    threads: parseNumberOption('threads', values.threads, { integer: true, min: 1 }),
  });
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const r of report.images) {
      if (r.error) {
        console.log(`${r.file}: error ${r.error.code}: ${r.error.detail}`);
        continue;
      }
      for (const note of r.notes ?? []) console.log(`${r.file}: note: ${note}`);
      for (const warning of r.mask_warnings ?? []) console.log(`${r.file}: mask warning: ${warning}`);
      const areas = Object.entries(r.mask_area ?? {}).map(([k, a]) => `${k} ${(a.fraction * 100).toFixed(1)}%`).join(', ');
      const probs = Object.entries(r.probabilities ?? {}).map(([k, p]) => `${k} ${p.toFixed(3)}`).join(', ');
      const d = r.dice === undefined ? '' : ` dice ${r.dice === null ? 'n/a (no mask)' : r.dice.toFixed(4)}`;
      console.log(`${r.file}: mask ${areas}; ${probs};${d} (${r.ms} ms)`);
    }
    if (report.mean_dice !== undefined) console.log(`mean Dice ${report.mean_dice.toFixed(4)} over ${report.images.filter((r) => typeof r.dice === 'number').length} image(s)`);
  }
  return report.images.some((r) => r.error) ? 1 : 0;
}
