import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { encode as encodePng } from 'fast-png';
import { guessColumnMapping, type ColumnMapping } from '../src/core/data/columnMapping.ts';
import { parseCsv, toCsv } from '../src/core/data/csvTable.ts';
import { parseLabelMap } from '../src/core/data/labelMap.ts';
import { caseTableRows } from '../src/core/evaluation/caseTable.ts';
import { classificationAucNote } from '../src/core/evaluation/classificationSummary.ts';
import { multiLabelAucNote } from '../src/core/evaluation/multiLabelSummary.ts';
import { classificationOnlyNote } from '../src/core/evaluation/evaluationSet.ts';
import type { CaseResult } from '../src/core/evaluation/caseResult.ts';
import { bundleLabel, checkSettings, DEFAULT_REQUEST, planEvaluation, readNumber, type EvaluationRequest } from '../src/core/evaluation/request.ts';
import { runEvaluation, scoredAnything, summarizeRun } from '../src/core/evaluation/run.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings, type EvaluationSummary, type ModelIdentity } from '../src/core/evaluation/summary.ts';
import { StudioError } from '../src/core/errors.ts';
import { VARIANT_NAMES, type FileRef, type VariantName } from '../src/core/manifest/types.ts';
import { verifyFile } from '../src/core/manifest/verifyFile.ts';
import { validateShiftReference, type ShiftReference } from '../src/core/evaluation/datasetShift.ts';
import { compareModels } from '../src/core/evaluation/comparison.ts';
import { boundsText } from '../src/core/metrics/bootstrap.ts';
import type { EmptyTruthRule } from '../src/core/metrics/dice.ts';
import type { AnalyzeModels } from '../src/core/pipelines/analyze.ts';
import { defaultBundleDir, openImageModel, readBundle } from './bundle.ts';
import { openSource } from './fileSource.ts';

export const usage = `evaluate --images DIR|ZIP [--labels CSV] [--masks DIR|ZIP] [--json] [--model-dir public/models/<id>]
    [--split NAME] [--file-column C] [--label-column C] [--split-column C] [--label-map "No Finding=normal,..."]
    [--task classification|segmentation] [--channel NAME] [--empty-truth empty-is-one|ignore-empty] [--threshold 0.5] [--zero-division 0|1]
    [--bootstrap 1000] [--seed 0] [--csv FILE] [--predictions FILE] [--save-masks DIR] [--threads N]
    [--hd95] [--variant fp32|int8] [--compare-model-dir DIR] [--compare-variant fp32|int8] [--multi-label|--single-label]
  Score the bundle's classifier (labels CSV) and/or segmenter (masks matched by
  file stem) on a test set, on onnxruntime-node. --json prints the same summary
  the Evaluate page exports; --predictions writes the per-image results (JSON),
  --save-masks the predicted masks (PNG, 0/255) for outside checks. --compare-*: score a
  second model on the same files and add the paired difference (this - that) with its CI.
  Label cells with several findings ("a|b", "a, b", "a; b") make it a multi-label
  evaluation (every class with p >= --threshold is predicted); --single-label or
  --multi-label overrides that guess.`;

export interface EvaluateOptions {
  images: string;
  labels?: string;
  masks?: string;
  modelDir?: string;
  split?: string;
  columns?: Partial<ColumnMapping>;
  labelMap?: Record<string, string>;
  channel?: string;
  settings?: Partial<EvaluationSettings>;
  threads?: number;
  saveMasks?: string;
  /** Model variant to run (the manifest's fp32 / fp16 / int8). */
  variant?: VariantName;
  /** Score only one model even when the inputs allow both. */
  task?: 'classification' | 'segmentation';
  /** Label cells are sets; undefined = guessed from the cells (labelSets.ts). */
  multiLabel?: boolean;
  /** Images per model run (src/core/evaluation/request.ts EVALUATION_BATCH by default). */
  batch?: number;
  onCase?: (result: CaseResult, index: number, total: number) => void;
}

/** The CLI host of the evaluation run (src/core/evaluation/run.ts): files from disk, models on onnxruntime-node. */
export async function evaluateFiles(opts: EvaluateOptions): Promise<{ summary: EvaluationSummary; cases: CaseResult[]; shift?: ShiftReference }> {
  // 1. Read the bundle and the inputs, and plan the run
  const dir = opts.modelDir ?? defaultBundleDir();
  const manifest = readBundle(dir);
  const images = openSource(opts.images);
  const masks = opts.masks ? openSource(opts.masks) : undefined;
  const table = opts.labels ? parseCsv(readFileSync(opts.labels), basename(opts.labels)) : undefined;
  const request: EvaluationRequest = {
    variant: opts.variant ?? DEFAULT_REQUEST.variant,
    channel: opts.channel,
    task: opts.task,
    multiLabel: opts.multiLabel,
    split: opts.split,
    mapping: table ? guessColumnMapping(table.columns, opts.columns) : {},
    labelMap: opts.labelMap ?? {},
    settings: { ...DEFAULT_SETTINGS, ...opts.settings },
  };
  const plan = planEvaluation(manifest, { images, masks, labels: table }, request);
  if (!plan.roles.length) throw new StudioError('labels-invalid', `nothing to evaluate: give --labels (with a label column naming the model's classes) for the classifier and/or --masks for the segmenter${plan.validation.issues.length ? `; input issues: ${plan.validation.issues.slice(0, 5).map((i) => `${i.file}: ${i.detail}`).join('; ')}` : ''}`);

  // 2. Open only the models the inputs can score
  const sessionOptions = opts.threads ? { intraOpNumThreads: opts.threads } : {};
  const models: AnalyzeModels = {};
  const identities: ModelIdentity[] = [];
  for (const role of plan.roles) {
    const { spec, runner } = await openImageModel(dir, manifest, role, plan.variant, sessionOptions);
    if (role === 'segmenter') models.segmenter = { spec, runner };
    else models.classifier = { spec, runner, classes: manifest.classes ?? [] };
    const { file, sha256 } = spec.variants[plan.variant]!;
    identities.push({ role, file, sha256 });
  }

  // The bundle's dataset-shift reference, when it ships one and the classifier runs
  const shift = manifest.shift && models.classifier ? await readShiftReference(dir, manifest.shift) : undefined;

  // 3. Score (read, decode, batch, keep only the numbers), then summarise where the cases are
  if (opts.saveMasks) mkdirSync(opts.saveMasks, { recursive: true });
  const saveMask = (result: CaseResult, mask: Uint8Array) => {
    if (!opts.saveMasks || !result.width || !result.height) return;
    writeFileSync(join(opts.saveMasks, `${result.stem}.png`), encodePng({ width: result.width, height: result.height, data: mask.map((v) => v * 255), channels: 1, depth: 8 }));
  };
  try {
    const { cases } = await runEvaluation({ plan, images, masks, models, shift, batch: opts.batch, onCase: opts.onCase, onPredictedMask: saveMask });
    const summary = summarizeRun(cases, plan, {
      name: [datasetName(opts.images), opts.split].filter(Boolean).join(' / '),
      engine: 'onnxruntime-node (cpu)',
      bundle: bundleLabel(manifest.id, plan.variant),
      models: identities,
      classes: manifest.classes ?? [],
    }, shift);
    return { summary, cases, shift };
  } finally {
    await Promise.all([models.segmenter?.runner, models.classifier?.runner].map((r) => (r as { release?: () => Promise<void> } | undefined)?.release?.()));
  }
}

async function readShiftReference(dir: string, ref: FileRef): Promise<ShiftReference> {
  const path = join(dir, ref.file);
  const bytes = readFileSync(path);
  await verifyFile(ref, bytes);
  return validateShiftReference(JSON.parse(new TextDecoder().decode(bytes)), path);
}

/** A folder called images/ is named after its parent (cxr256/<set>/images -> <set>). */
function datasetName(path: string): string {
  const name = basename(path);
  return name === 'images' ? basename(dirname(path)) : name;
}

const fmt = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(4) : 'n/a');
/** " [low, high]", or nothing where there is no interval (--bootstrap 0, or no cases). */
const ci = (i: { low: number; high: number } | undefined) => (i ? boundsText(i, 4) : '');

/** Which classes a macro average ran over, as the page's results say it (issue 17: absent classes are not counted as F1 0). */
function averagedLine(averaged: string[], notAveraged: string[], what: string): string {
  return `macro averages over the ${what}: ${averaged.join(', ') || 'none'}${notAveraged.length ? `; not averaged: ${notAveraged.join(', ')}` : ''}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      images: { type: 'string' }, labels: { type: 'string' }, masks: { type: 'string' },
      'model-dir': { type: 'string' }, split: { type: 'string' },
      'file-column': { type: 'string' }, 'label-column': { type: 'string' }, 'split-column': { type: 'string' },
      task: { type: 'string' }, 'label-map': { type: 'string' }, channel: { type: 'string' }, 'empty-truth': { type: 'string' },
      threshold: { type: 'string' }, 'zero-division': { type: 'string' }, bootstrap: { type: 'string' }, seed: { type: 'string' },
      variant: { type: 'string' }, 'compare-model-dir': { type: 'string' }, 'compare-variant': { type: 'string' },
      csv: { type: 'string' }, predictions: { type: 'string' }, 'save-masks': { type: 'string' }, threads: { type: 'string' },
      hd95: { type: 'boolean', default: false }, 'multi-label': { type: 'boolean' }, 'single-label': { type: 'boolean' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.images) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const emptyTruth = (values['empty-truth'] ?? DEFAULT_SETTINGS.emptyTruth) as EmptyTruthRule;
  const zeroDivision = readNumber('--zero-division', values['zero-division'] ?? DEFAULT_SETTINGS.zeroDivision, { min: 0, max: 1, integer: true }) as 0 | 1;
  const task = values.task as EvaluateOptions['task'];
  if (task !== undefined && task !== 'classification' && task !== 'segmentation') throw new StudioError('settings-invalid', `--task: expected classification or segmentation, received ${task}`);
  const variant = values.variant as VariantName | undefined;
  if (variant !== undefined && !VARIANT_NAMES.includes(variant)) throw new StudioError('settings-invalid', `--variant: expected one of [${VARIANT_NAMES.join(', ')}], received ${variant}`);
  const settings = checkSettings({
    ...DEFAULT_SETTINGS,
    emptyTruth,
    zeroDivision,
    hd95: values.hd95,
    threshold: readNumber('--threshold', values.threshold ?? DEFAULT_SETTINGS.threshold, { min: 0, max: 1 }),
    bootstrap: {
      ...DEFAULT_SETTINGS.bootstrap,
      iterations: readNumber('--bootstrap', values.bootstrap ?? DEFAULT_SETTINGS.bootstrap.iterations, { min: 0, integer: true }),
      seed: readNumber('--seed', values.seed ?? DEFAULT_SETTINGS.bootstrap.seed, { min: 0, integer: true }),
    },
  });
  const columns: Partial<ColumnMapping> = {
    ...(values['file-column'] ? { file: values['file-column'] } : {}),
    ...(values['label-column'] ? { label: values['label-column'] } : {}),
    ...(values['split-column'] ? { split: values['split-column'] } : {}),
  };
  const common: EvaluateOptions = {
    images: values.images,
    labels: values.labels,
    masks: values.masks,
    modelDir: values['model-dir'],
    split: values.split,
    columns,
    labelMap: parseLabelMap(values['label-map']),
    channel: values.channel,
    threads: values.threads === undefined ? undefined : readNumber('--threads', values.threads, { min: 1, max: 256, integer: true }),
    saveMasks: values['save-masks'],
    task,
    multiLabel: values['multi-label'] ? true : values['single-label'] ? false : undefined,
    settings,
    onCase: values.json ? undefined : (r, i, n) => console.error(`[${i + 1}/${n}] ${r.stem}${r.error ? ` error ${r.error.code}: ${r.error.detail}` : ''}${r.maskError ? ` mask ${r.maskError.code}: ${r.maskError.detail}` : ''}`),
  };
  const { summary, cases } = await evaluateFiles({ ...common, variant });
  if (values['compare-model-dir'] || values['compare-variant']) {
    const other = await evaluateFiles({ ...common, modelDir: values['compare-model-dir'] ?? values['model-dir'], variant: values['compare-variant'] as VariantName | undefined });
    summary.comparison = compareModels({ name: summary.bundle, cases }, { name: other.summary.bundle, cases: other.cases }, summary.classification?.classes.length ?? 0, summary.settings);
  }
  const classes = summary.classification?.classes ?? summary.multiLabel?.classes ?? [];
  if (values.predictions) writeFileSync(values.predictions, JSON.stringify({ classes, settings: summary.settings, cases }, null, 1));
  if (values.csv) writeFileSync(values.csv, toCsv(caseTableRows(cases, classes, summary.models, summary.multiLabel?.threshold)));
  if (values.json) {
    console.log(JSON.stringify(summary, null, 1));
  } else {
    const { dataset, classification: c, multiLabel: m, segmentation: s } = summary;
    console.log(`${dataset.name}: ${dataset.evaluated} of ${dataset.images} image(s) evaluated, ${dataset.failed} failed, ${summary.issues.length} input issue(s)`);
    if (dataset.classificationOnly) console.log(`  ${classificationOnlyNote(dataset.classificationOnly)}`);
    if (c) {
      console.log(`classification (n=${c.n}): accuracy ${fmt(c.accuracy)}${ci(c.ci.accuracy)}, macro F1 ${fmt(c.macro.f1)}${ci(c.ci.macroF1)}, AUC ${fmt(c.aucMacro)}`);
      console.log(`  ${averagedLine(c.averagedOver, c.notAveraged, 'classes with examples here')}`);
      const aucNote = classificationAucNote(c);
      if (aucNote) console.log(`  ${aucNote}`);
      for (const k of c.perClass.filter((p) => p.support || p.predicted)) console.log(`  ${k.class}: P ${fmt(k.precision)} R ${fmt(k.recall)} F1 ${fmt(k.f1)} support ${k.support} AUC ${fmt(k.auc)}`);
    }
    if (m) {
      console.log(`multi-label (n=${m.n}, p >= ${m.threshold}): micro F1 ${fmt(m.micro.f1)}${ci(m.ci.microF1)}, macro F1 ${fmt(m.macro.f1)}${ci(m.ci.macroF1)}, samples F1 ${fmt(m.samples.f1)}, exact sets ${fmt(m.subsetAccuracy)}, AUC ${fmt(m.aucMacro)}`);
      console.log(`  ${averagedLine(m.averagedOver, m.notAveraged, 'labels with positives here')}`);
      const aucNote = multiLabelAucNote(m);
      if (aucNote) console.log(`  ${aucNote}`);
      for (const k of m.perLabel.filter((p) => p.support || p.predicted)) console.log(`  ${k.class}: P ${fmt(k.precision)} R ${fmt(k.recall)} F1 ${fmt(k.f1)} support ${k.support} AUC ${fmt(k.auc)}`);
    }
    if (s) console.log(`segmentation (n=${s.n}, channel ${summary.settings.diceChannel}): Dice mean ${fmt(s.meanDice)}${ci(s.ci.meanDice)}, median ${fmt(s.medianDice)}, IoU ${fmt(s.meanIou)}${s.hd95 ? `, HD95 mean ${fmt(s.hd95.mean)} px${ci(s.ci.meanHd95)}, median ${fmt(s.hd95.median)} px` : ''}`);
    const cmp = summary.comparison;
    if (cmp?.classification) console.log(`${cmp.a} - ${cmp.b} (n=${cmp.classification.n}): accuracy ${fmt(cmp.classification.accuracy.estimate)}${ci(cmp.classification.accuracy)}, macro F1 ${fmt(cmp.classification.macroF1.estimate)}${ci(cmp.classification.macroF1)}`);
    if (cmp?.segmentation) console.log(`${cmp.a} - ${cmp.b} (n=${cmp.segmentation.n}): mean Dice ${fmt(cmp.segmentation.meanDice.estimate)}${ci(cmp.segmentation.meanDice)}`);
    const shift = summary.shift;
    if (shift) {
      console.log(`dataset shift: ${shift.flagged} of ${shift.n} image(s) (${(100 * shift.share).toFixed(1)}%) score above ${shift.threshold.toFixed(2)}, where ${(100 * shift.falseAlarm).toFixed(0)}% of held-in validation images do; median score ${fmt(shift.medianScore)}${shift.warning ? `\n  WARNING: this set looks unlike the classifier's training sources (${shift.trainedOn.join(', ')}); its numbers may not hold here` : ''}`);
      for (const c of cases.filter((c) => typeof c.shift === 'number' && c.shift > shift.threshold)) console.log(`  unlike the training sources: ${c.image} (shift ${c.shift!.toFixed(2)})`);
    }
    for (const c of cases) for (const note of c.notes ?? []) console.log(`  note ${c.image}: ${note}`);
    for (const c of cases) for (const warning of c.maskWarnings ?? []) console.log(`  mask warning ${c.mask ?? c.image}: ${warning}`);
    for (const f of summary.failures) console.log(`  failed ${f.file}: ${f.code}: ${f.detail}`);
    for (const i of summary.issues) console.log(`  input ${i.file}: ${i.kind}: ${i.detail}`);
  }
  if (!scoredAnything(summary)) {
    console.error(`nothing was scored: ${summary.dataset.failed} of ${summary.dataset.images} image(s) failed${summary.dataset.images ? '' : ' (no usable images)'}`);
    return 1;
  }
  return 0;
}
