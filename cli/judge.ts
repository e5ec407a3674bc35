import { parseArgs } from 'node:util';
import { decode as decodePng } from 'fast-png';
import { adherenceByGroup, adherenceText, type AdherenceRow } from '../src/core/curation/adherence.ts';
import { compareJudges, judgeLabel, type Judge, type JudgeRow } from '../src/core/curation/judges.ts';
import type { ProxyThresholds } from '../src/core/curation/proxyFilter.ts';
import { scoreAnalysis, type ScoredImage } from '../src/core/curation/proxyScore.ts';
import { StudioError } from '../src/core/errors.ts';
import { decodeImage } from '../src/core/image/decode.ts';
import { VARIANT_NAMES, type VariantName } from '../src/core/manifest/types.ts';
import { decodeMaskPng } from '../src/core/mask/maskPng.ts';
import { analyzeImage, type AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import type { Provenance } from '../src/core/pipelines/provenance.ts';
import { defaultBundleDir, openImageModel, readBundle } from './bundle.ts';
import { openSource, type FileSource } from './fileSource.ts';
import { parseNumberOption, UsageError } from './options.ts';

export const usage = `judge --synthetic DIR|ZIP [--model-dir DIR] [--variant fp32|int8]
      [--compare-model-dir DIR] [--compare-variant fp32|int8] [--min-probability 0.5] [--min-dice 0.7] [--json] [--threads N]
  Scores generated images as the Curate page's proxy filter does, with one judge (a bundle's
  classifier and segmenter, default the shipped bundle) or two: --compare-model-dir and/or
  --compare-variant name a second, e.g. an independent bundle (public/models/reference-v0,
  staged by npm start) or the int8 variant. DIR|ZIP is the Curate page's export or a batch
  output folder (images/, masks/, provenance/; a batch's rejected/ part is read too). Prints
  prompt and mask adherence per prompt and judge, and both judges on the images they scored:
  adherence, how many the filter keeps at the thresholds, and how often the two agree.`;

/** One generated image of the folder: its PNG, its conditioning mask (0/1) if it had one, and what made it. */
export interface GeneratedImage {
  name: string;
  png: Uint8Array;
  mask: Uint8Array | null;
  prompt: string;
  convention?: string;
}

const PROVENANCE = /^(.*?)provenance\/([^/]+)\.json$/;

/** Every image of a Curate export or batch folder (kept and rejected parts), by its provenance file. */
export function readGeneratedImages(source: FileSource): GeneratedImage[] {
  const present = new Set(source.files); // a batch folder can hold tens of thousands of files
  const images = source.files.flatMap((file) => {
    const match = PROVENANCE.exec(file);
    if (!match) return [];
    const [, root, stem] = match;
    const record = JSON.parse(new TextDecoder().decode(source.read(file))) as { generation?: Provenance };
    if (!record.generation?.prompt) throw new StudioError('file-unreadable', `${file}: not a generated image's provenance (no generation.prompt)`);
    const pngName = `${root}images/${stem}.png`;
    if (!present.has(pngName)) throw new StudioError('file-unreadable', `${file}: its image ${pngName} is missing`);
    const png = source.read(pngName);
    const maskName = `${root}masks/${stem}.png`;
    const side = decodePng(png).width; // the generated image's side: the conditioning mask was drawn at it
    const mask = present.has(maskName) ? decodeMaskPng(source.read(maskName), side, maskName) : null;
    const convention = record.generation.mask?.layers.find((l) => l.layer === 'lung')?.convention;
    return [{ name: `${root}${stem}`, png, mask, prompt: record.generation.prompt, ...(convention ? { convention } : {}) }];
  });
  if (images.length === 0) throw new StudioError('file-unreadable', `${source.name}: no provenance/*.json: not a Curate export or a batch output folder`);
  return images;
}

/** A bundle's classifier and segmenter, opened for scoring. */
async function openJudge(dir: string, variant: VariantName, threads?: number): Promise<{ judge: Judge; models: AnalyzeModels; release(): Promise<void> }> {
  const manifest = readBundle(dir);
  if (!manifest.models.classifier) throw new StudioError('model-missing', `${manifest.id}: the bundle has no classifier to judge with`);
  const options = threads ? { intraOpNumThreads: threads } : {};
  const name = variant === 'fp32' ? manifest.id : `${manifest.id} ${variant}`;
  const classifier = await openImageModel(dir, manifest, 'classifier', variant, options);
  let segmenter: Awaited<ReturnType<typeof openImageModel>> | undefined;
  try {
    if (manifest.models.segmenter) segmenter = await openImageModel(dir, manifest, 'segmenter', variant, options);
  } catch (error) {
    await classifier.runner.release();
    throw error;
  }
  return {
    judge: { classifier: name, ...(segmenter ? { segmenter: name } : {}) },
    models: {
      classifier: { ...classifier, classes: manifest.classes ?? [] },
      ...(segmenter ? { segmenter } : {}),
    },
    release: async () => {
      await classifier.runner.release();
      await segmenter?.runner.release();
    },
  };
}

/** The Curate page's proxy score of one image (src/features/curate/actions.ts), from its 8-bit PNG. */
/** The Curate page's proxy score of one image, from its 8-bit PNG. */
async function scoreImage(image: GeneratedImage, models: AnalyzeModels): Promise<ScoredImage> {
  const analysis = await analyzeImage(await decodeImage(image.png), models);
  return scoreAnalysis(analysis, { prompt: image.prompt, conditioningMask: image.mask, convention: image.convention });
}

export interface JudgeReport {
  source: string;
  thresholds: ProxyThresholds;
  judges: Judge[];
  /** Per image, each judge's score (in the order of `judges`). */
  images: Array<{ image: string; prompt: string; scores: ScoredImage[] }>;
  /** Per judge: adherence per prompt, then "all". */
  perPrompt: AdherenceRow[][];
  /** The judges on the images every one of them scored (compareJudges). */
  comparison: { images: number; rows: JudgeRow[] };
}

export interface JudgeOptions {
  synthetic: string;
  judges: Array<{ modelDir: string; variant: VariantName }>;
  thresholds: ProxyThresholds;
  threads?: number;
  onImage?: (done: number, total: number, name: string) => void;
}

export async function judgeImages(opts: JudgeOptions): Promise<JudgeReport> {
  // 1. Read every generated image before opening a session, so a bad folder fails at once
  const source = openSource(opts.synthetic);
  const images = readGeneratedImages(source);
  // 2. Each judge in turn scores every image
  const judges: Judge[] = [];
  const scores: ScoredImage[][] = images.map(() => []);
  for (const { modelDir, variant } of opts.judges) {
    const opened = await openJudge(modelDir, variant, opts.threads);
    try {
      judges.push(opened.judge);
      for (const [i, image] of images.entries()) {
        scores[i].push(await scoreImage(image, opened.models));
        opts.onImage?.(i + 1, images.length, `${judgeLabel(opened.judge)}: ${image.name}`);
      }
    } finally {
      await opened.release();
    }
  }
  // 3. Adherence per prompt and judge, and the judges side by side
  const ids = images.map((_, i) => String(i));
  const perPrompt = judges.map((_, j) => adherenceByGroup(ids, (id) => images[Number(id)].prompt, (id) => scores[Number(id)][j]));
  const compared = compareJudges(ids, judges.map((judge, j) => ({ judge, scores: Object.fromEntries(ids.map((id) => [id, scores[Number(id)][j]])) })), opts.thresholds);
  return {
    source: source.name,
    thresholds: opts.thresholds,
    judges,
    images: images.map((image, i) => ({ image: image.name, prompt: image.prompt, scores: scores[i] })),
    perPrompt,
    comparison: { images: compared.images.length, rows: compared.rows },
  };
}

function variantOption(flag: string, value: string | undefined): VariantName | undefined {
  if (value !== undefined && !VARIANT_NAMES.includes(value as VariantName)) throw new UsageError(`--${flag}: expected one of ${VARIANT_NAMES.join(', ')}, received "${value}"`);
  return value as VariantName | undefined;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      synthetic: { type: 'string' },
      'model-dir': { type: 'string' },
      variant: { type: 'string' },
      'compare-model-dir': { type: 'string' },
      'compare-variant': { type: 'string' },
      'min-probability': { type: 'string' },
      'min-dice': { type: 'string' },
      json: { type: 'boolean', default: false },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.synthetic) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const first = { modelDir: values['model-dir'] ?? defaultBundleDir(), variant: variantOption('variant', values.variant) ?? 'fp32' };
  const judges = [first];
  if (values['compare-model-dir'] || values['compare-variant']) {
    judges.push({ modelDir: values['compare-model-dir'] ?? first.modelDir, variant: variantOption('compare-variant', values['compare-variant']) ?? 'fp32' });
  }
  const report = await judgeImages({
    synthetic: values.synthetic,
    judges,
    thresholds: {
      minFindingProbability: parseNumberOption('min-probability', values['min-probability'] ?? '0.5', { min: 0, max: 1 }),
      minMaskDice: parseNumberOption('min-dice', values['min-dice'] ?? '0.7', { min: 0, max: 1 }),
    },
    threads: parseNumberOption('threads', values.threads, { integer: true, min: 1 }),
    onImage: values.json ? undefined : (done, total, name) => console.error(`[${done}/${total}] ${name}`),
  });
  if (values.json) {
    console.log(JSON.stringify(report, null, 1));
    return 0;
  }
  console.log(`${report.source}: ${report.images.length} generated image(s)`);
  report.judges.forEach((judge, j) => {
    console.log(`judge ${j + 1}: ${judgeLabel(judge)}`);
    for (const r of report.perPrompt[j]) console.log(`  ${r.group}: ${r.images} image(s), prompt adherence ${adherenceText(r.promptAdherence, r.withFinding)}, mean p(finding) ${adherenceText(r.meanFindingProbability)}, mask adherence ${adherenceText(r.maskAdherence, r.withMask)}`);
  });
  const { minFindingProbability, minMaskDice } = report.thresholds;
  console.log(`on the ${report.comparison.images} image(s) every judge scored, kept at p >= ${minFindingProbability} and Dice >= ${minMaskDice}:`);
  report.comparison.rows.forEach((r, j) => {
    const agreement = r.agreement === null ? '' : `, same verdict as judge 1: ${(100 * r.agreement).toFixed(0)}%`;
    console.log(`  judge ${j + 1}: prompt adherence ${adherenceText(r.adherence.promptAdherence, r.adherence.withFinding)}, mask adherence ${adherenceText(r.adherence.maskAdherence, r.adherence.withMask)}, kept ${r.kept}${agreement}`);
  });
  return 0;
}
