import { readLabelRows, type ColumnMapping } from '../data/columnMapping.ts';
import type { CsvTable } from '../data/csvTable.ts';
import { StudioError } from '../errors.ts';
import type { Manifest, VariantName } from '../manifest/types.ts';
import { buildEvaluationSet, type InputIssue, type ValidationSummary } from './evaluationSet.ts';
import { looksMultiLabel } from './labelSets.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings } from './summary.ts';

/**
 * What one evaluation run is asked to do, the same record from the Evaluate
 * page's inputs and from `cxr-studio evaluate`'s flags, and the one place its
 * rules live: defaults, checks, which models the inputs can score, and how
 * images, labels and masks are matched (evaluationSet.ts).
 */
export interface EvaluationRequest {
  /** Model variant (the manifest's fp32 / fp16 / int8). */
  variant: VariantName;
  /** Segmenter channel scored against the masks, by name; undefined = the first. */
  channel?: string;
  /** Score only one model even when the inputs allow both. */
  task?: 'classification' | 'segmentation';
  /** Label cells are sets; undefined = guessed from the cells (labelSets.ts). */
  multiLabel?: boolean;
  split?: string;
  mapping: Partial<ColumnMapping>;
  labelMap: Record<string, string>;
  settings: EvaluationSettings;
}

export const DEFAULT_REQUEST: EvaluationRequest = { variant: 'fp32', mapping: {}, labelMap: {}, settings: DEFAULT_SETTINGS };

/** Several images per `session.run`: the shipped models have a symbolic batch axis (measured in bench/evaluate.bench.ts). */
export const EVALUATION_BATCH = 8;

function invalid(detail: string): never {
  throw new StudioError('settings-invalid', detail);
}

/** A number typed by a user (flag or form field): finite, within bounds (`min` and `max` inclusive, `above` exclusive), an integer when asked. */
export function readNumber(name: string, text: string | number, { min = -Infinity, above = -Infinity, max = Infinity, integer = false }: { min?: number; above?: number; max?: number; integer?: boolean } = {}): number {
  const value = typeof text === 'number' ? text : String(text).trim() === '' ? Number.NaN : Number(text);
  const lower = above > -Infinity ? ` > ${above}` : min > -Infinity ? ` >= ${min}` : '';
  const range = `${integer ? 'an integer' : 'a number'}${lower}${max < Infinity ? ` and <= ${max}` : ''}`;
  if (!Number.isFinite(value) || value < min || value <= above || value > max || (integer && !Number.isInteger(value))) invalid(`${name}: expected ${range}, received "${text}"`);
  return value;
}

/** Settings with every number checked, so NaN never reaches a metric. */
export function checkSettings(settings: EvaluationSettings): EvaluationSettings {
  readNumber('threshold', settings.threshold, { min: 0, max: 1 });
  if (settings.zeroDivision !== 0 && settings.zeroDivision !== 1) invalid(`zero division: expected 0 or 1, received "${settings.zeroDivision}"`);
  if (settings.emptyTruth !== 'empty-is-one' && settings.emptyTruth !== 'ignore-empty') invalid(`empty truth: expected empty-is-one or ignore-empty, received "${settings.emptyTruth}"`);
  readNumber('bootstrap', settings.bootstrap.iterations, { min: 0, max: 100_000, integer: true });
  readNumber('seed', settings.bootstrap.seed, { min: 0, max: 2 ** 32 - 1, integer: true });
  readNumber('confidence level', settings.bootstrap.level, { min: 0.5, max: 0.999 });
  return settings;
}

export interface FileListing {
  files: readonly string[];
  rejected?: ReadonlyArray<{ name: string; reason: string }>;
}

export interface EvaluationPlan {
  validation: ValidationSummary;
  /** The models to open, in this order. */
  roles: Array<'segmenter' | 'classifier'>;
  /** Index of `request.channel` among the segmenter's channels. */
  diceChannel: number;
  /** The request's settings plus what the inputs decided (channel name, multi-label). */
  settings: EvaluationSettings;
  variant: VariantName;
}

/**
 * Match the inputs and decide what can be scored. Throws a StudioError for a
 * request that cannot run at all (unknown channel, no label column when only
 * labels were given, a bad setting); everything per file is an issue instead.
 */
export function planEvaluation(manifest: Manifest, inputs: { images: FileListing; masks?: FileListing; labels?: CsvTable }, request: EvaluationRequest): EvaluationPlan {
  const settings = checkSettings({ ...request.settings });
  const { segmenter, classifier } = manifest.models;
  const { task } = request;
  const channels = segmenter?.channels ?? [];
  const diceChannel = request.channel === undefined ? 0 : channels.findIndex((c) => c.name === request.channel);
  if (diceChannel < 0) invalid(`channel ${request.channel}: the segmenter has channels [${channels.map((c) => c.name).join(', ')}]`);

  const scoresMasks = Boolean(inputs.masks && segmenter && task !== 'classification');
  const requireLabel = Boolean(classifier) && task !== 'segmentation' && (task === 'classification' || !inputs.masks);
  const rows = inputs.labels ? readLabelRows(inputs.labels, request.mapping, { requireLabel, split: request.split }) : undefined;
  const multiLabel = request.multiLabel ?? looksMultiLabel((rows ?? []).map((r) => r.label));
  const set = buildEvaluationSet({
    multiLabel,
    images: inputs.images.files,
    masks: inputs.masks?.files,
    rows,
    classes: manifest.classes,
    labelMap: request.labelMap,
    onlyListed: request.split !== undefined,
    needLabels: Boolean(rows && request.mapping.label && classifier && task !== 'segmentation'),
    needMasks: scoresMasks,
  });
  const refused = (listing: FileListing | undefined): InputIssue[] => (listing?.rejected ?? []).map((r) => ({ file: r.name, kind: 'archive-unsafe', detail: r.reason }));
  const validation = { ...set, issues: [...refused(inputs.images), ...refused(inputs.masks), ...set.issues] };

  const withMasks = scoresMasks && set.counts.withMask > 0;
  const withLabels = Boolean(classifier) && task !== 'segmentation' && set.counts.labelled > 0;
  const roles = [...(withMasks ? ['segmenter' as const] : []), ...(withLabels ? ['classifier' as const] : [])];
  return {
    validation,
    roles,
    diceChannel,
    settings: { ...settings, ...(withMasks ? { diceChannel: channels[diceChannel]?.name } : {}), ...(multiLabel && withLabels ? { multiLabel } : {}) },
    variant: request.variant,
  };
}

/** The bundle as a run names it: its id, and the variant when it is not fp32. */
export function bundleLabel(id: string, variant: VariantName): string {
  return variant === 'fp32' ? id : `${id} (${variant})`;
}
