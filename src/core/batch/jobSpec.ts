import { StudioError } from '../errors.ts';
import { DEFAULT_VARIANT_RANGES, type VariantRanges } from '../mask/variants.ts';
import { SCHEDULER_NAMES } from '../schedulers/index.ts';
import type { SchedulerName } from '../schedulers/types.ts';
import { UNET_ROLES, type UnetRole } from '../manifest/types.ts';
import { MAX_GUIDANCE } from '../pipelines/generate.ts';

export const BATCH_JOB_FORMAT = 'cxr-studio-batch/1';

/** A PNG next to the spec, named by a path relative to the spec file and pinned by its hash. */
interface BatchFile {
  path: string;
  sha256: string;
}

/** A further layer drawn with a lung mask (e.g. 'lesion'), given to the generator with it. */
export interface BatchMaskLayer extends BatchFile {
  layer: string;
}

/** A lung mask PNG next to the spec. */
export interface BatchMaskFile extends BatchFile {
  /** The mask's convention as the generator gets it (e.g. 'shenzhen'). */
  convention?: string;
  /** Layers drawn with it (the Masks page's lesion); a variant transforms them with the lung. */
  extraLayers?: BatchMaskLayer[];
}

/** The Masks page's "random variants" recipe, applied to every mask file. */
export interface BatchVariantRecipe {
  count: number;
  seed: number;
  ranges: VariantRanges;
}

/**
 * A generation job that runs away from the browser: every (prompt, mask or variant,
 * seed) is one image, made with the same models, settings and proxy filter as the
 * studio. Versioned by `format`; the bundle is pinned by id and fingerprint.
 */
export interface BatchJobSpec {
  format: typeof BATCH_JOB_FORMAT;
  bundle: { id: string; fingerprint: string };
  prompts: string[];
  /** What guidance steers away from; absent: all padding. */
  negativePrompt?: string;
  /** No masks: the model's "no mask" state. */
  masks: BatchMaskFile[];
  variants?: BatchVariantRecipe;
  /** Seeds start, start + 1, ..., start + count - 1. */
  seeds: { start: number; count: number };
  /** `unet` absent: the two-pass UNet; "unet_guided": the bundle's one-pass student (issue 18). */
  settings: { steps: number; guidance: number; scheduler: SchedulerName; unet?: UnetRole };
  /** Proxy-filter thresholds: an image is kept when each score that applies reaches its threshold. */
  filter: { minFindingProbability: number; minMaskDice: number };
}

export class BatchSpecError extends StudioError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('settings-invalid', `the batch job spec is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'BatchSpecError';
    this.problems = problems;
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

type Check = (ok: boolean, problem: string) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkNumber(check: Check, where: string, value: unknown, rule: { integer?: boolean; min?: number; max?: number }): void {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const ok = typeof value === 'number' && Number.isFinite(value) && (!rule.integer || Number.isInteger(value))
    && (rule.min === undefined || value >= rule.min) && (rule.max === undefined || value <= rule.max);
  const range = [rule.min !== undefined ? `>= ${rule.min}` : '', rule.max !== undefined ? `<= ${rule.max}` : ''].filter(Boolean).join(' and ');
  check(ok, `${where}: expected ${kind}${range ? ` ${range}` : ''}, received ${describe(value)}`);
}

function checkRange(check: Check, where: string, value: unknown): void {
  const ok = Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v)) && value[0] <= value[1];
  check(ok, `${where}: expected [min, max] with min <= max, received ${describe(value)}`);
}

function checkVariants(check: Check, value: unknown): void {
  if (!isObject(value)) return check(false, `variants: expected an object {count, seed, ranges}, received ${describe(value)}`);
  checkNumber(check, 'variants.count', value.count, { integer: true, min: 1, max: 10_000 });
  checkNumber(check, 'variants.seed', value.seed, { integer: true, min: 0, max: 2 ** 32 - 1 });
  if (!isObject(value.ranges)) return check(false, `variants.ranges: expected an object, received ${describe(value.ranges)}`);
  for (const [name, fallback] of Object.entries(DEFAULT_VARIANT_RANGES)) {
    const range = value.ranges[name];
    if (Array.isArray(fallback)) checkRange(check, `variants.ranges.${name}`, range);
    else checkNumber(check, `variants.ranges.${name}`, range, name === 'flipXChance' ? { min: 0, max: 1 } : { min: 0 });
  }
}

function checkFile(check: Check, where: string, file: Record<string, unknown>): void {
  const path = file.path;
  const relative = typeof path === 'string' && path.length > 0 && !path.startsWith('/') && !/^[a-zA-Z]:/.test(path) && !path.split(/[\\/]/).includes('..');
  check(relative, `${where}.path: expected a path relative to the spec file, inside its folder, received ${describe(path)}`);
  check(typeof file.sha256 === 'string' && SHA256.test(file.sha256), `${where}.sha256: expected 64 lower-case hex digits, received ${describe(file.sha256)}`);
}

/** Fields a reader does not know are refused, never skipped: a skipped layer would make other images than the spec asks for. */
function checkKnown(check: Check, where: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) check(known.includes(key), `${where}.${key}: not a field of ${BATCH_JOB_FORMAT} (fields: ${known.join(', ')})`);
}

function checkMasks(check: Check, value: unknown): void {
  if (!Array.isArray(value)) return check(false, `masks: expected a list of {path, sha256} (empty for no mask), received ${describe(value)}`);
  value.forEach((mask, i) => {
    if (!isObject(mask)) return check(false, `masks[${i}]: expected {path, sha256}, received ${describe(mask)}`);
    checkFile(check, `masks[${i}]`, mask);
    check(mask.convention === undefined || (typeof mask.convention === 'string' && mask.convention.length > 0), `masks[${i}].convention: expected a name like "shenzhen", received ${describe(mask.convention)}`);
    checkKnown(check, `masks[${i}]`, mask, ['path', 'sha256', 'convention', 'extraLayers']);
    if (mask.extraLayers === undefined) return;
    if (!Array.isArray(mask.extraLayers)) return check(false, `masks[${i}].extraLayers: expected a list of {layer, path, sha256}, received ${describe(mask.extraLayers)}`);
    mask.extraLayers.forEach((layer, j) => {
      const where = `masks[${i}].extraLayers[${j}]`;
      if (!isObject(layer)) return check(false, `${where}: expected {layer, path, sha256}, received ${describe(layer)}`);
      check(typeof layer.layer === 'string' && layer.layer.length > 0 && layer.layer !== 'lung', `${where}.layer: expected a layer name other than "lung" (e.g. "lesion"), received ${describe(layer.layer)}`);
      checkFile(check, where, layer);
      checkKnown(check, where, layer, ['layer', 'path', 'sha256']);
    });
  });
}

/**
 * Reads a parsed spec.json, listing every problem at once (where, what was expected,
 * what was received), so a hand-edited spec is fixed in one pass.
 */
export function validateJobSpec(json: unknown): BatchJobSpec {
  const problems: string[] = [];
  const check: Check = (ok, problem) => {
    if (!ok) problems.push(problem);
  };
  if (!isObject(json)) throw new BatchSpecError([`expected a JSON object, received ${describe(json)}`]);
  if (json.format !== BATCH_JOB_FORMAT) throw new BatchSpecError([`format: expected "${BATCH_JOB_FORMAT}", received ${describe(json.format)}`]);

  const bundle = json.bundle;
  if (!isObject(bundle)) check(false, `bundle: expected {id, fingerprint}, received ${describe(bundle)}`);
  else {
    check(typeof bundle.id === 'string' && bundle.id.length > 0, `bundle.id: expected the model bundle's id, received ${describe(bundle.id)}`);
    check(typeof bundle.fingerprint === 'string' && SHA256.test(bundle.fingerprint), `bundle.fingerprint: expected 64 lower-case hex digits, received ${describe(bundle.fingerprint)}`);
  }
  const prompts = json.prompts;
  check(Array.isArray(prompts) && prompts.length > 0 && prompts.every((p) => typeof p === 'string' && p.trim().length > 0),
    `prompts: expected a non-empty list of non-empty strings, received ${describe(prompts)}`);
  check(json.negativePrompt === undefined || typeof json.negativePrompt === 'string', `negativePrompt: expected a string, received ${describe(json.negativePrompt)}`);
  checkMasks(check, json.masks);
  if (json.variants !== undefined) {
    checkVariants(check, json.variants);
    check(!Array.isArray(json.masks) || json.masks.length > 0, 'variants: a variant recipe needs at least one mask in masks');
  }

  const seeds = json.seeds;
  if (!isObject(seeds)) check(false, `seeds: expected {start, count}, received ${describe(seeds)}`);
  else {
    checkNumber(check, 'seeds.start', seeds.start, { integer: true, min: 0 });
    checkNumber(check, 'seeds.count', seeds.count, { integer: true, min: 1 });
    if (typeof seeds.start === 'number' && typeof seeds.count === 'number') {
      check(seeds.start + seeds.count - 1 <= 2 ** 32 - 1, `seeds: the last seed ${seeds.start + seeds.count - 1} is above 4294967295`);
    }
  }
  const settings = json.settings;
  if (!isObject(settings)) check(false, `settings: expected {steps, guidance, scheduler}, received ${describe(settings)}`);
  else {
    checkNumber(check, 'settings.steps', settings.steps, { integer: true, min: 1, max: 1000 });
    checkNumber(check, 'settings.guidance', settings.guidance, { min: 0, max: MAX_GUIDANCE });
    check(SCHEDULER_NAMES.includes(settings.scheduler as SchedulerName), `settings.scheduler: expected one of [${SCHEDULER_NAMES.join(', ')}], received ${describe(settings.scheduler)}`);
    check(settings.unet === undefined || UNET_ROLES.includes(settings.unet as UnetRole), `settings.unet: expected one of [${UNET_ROLES.join(', ')}], received ${describe(settings.unet)}`);
    checkKnown(check, 'settings', settings, ['steps', 'guidance', 'scheduler', 'unet']);
  }
  const filter = json.filter;
  if (!isObject(filter)) check(false, `filter: expected {minFindingProbability, minMaskDice}, received ${describe(filter)}`);
  else {
    checkNumber(check, 'filter.minFindingProbability', filter.minFindingProbability, { min: 0, max: 1 });
    checkNumber(check, 'filter.minMaskDice', filter.minMaskDice, { min: 0, max: 1 });
  }
  const known = new Set(['format', 'bundle', 'prompts', 'negativePrompt', 'masks', 'variants', 'seeds', 'settings', 'filter']);
  for (const key of Object.keys(json)) check(known.has(key), `${key}: not a field of ${BATCH_JOB_FORMAT} (fields: ${[...known].join(', ')})`);

  if (problems.length > 0) throw new BatchSpecError(problems);
  return json as unknown as BatchJobSpec;
}
