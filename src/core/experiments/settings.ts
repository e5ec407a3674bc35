import { StudioError } from '../errors.ts';
import { readNumber } from '../evaluation/request.ts';

/**
 * What an augmentation experiment is asked to do, the same record from the Curate
 * page's form and from `cxr-studio augment-experiment`'s flags, with its defaults
 * and its checks in one place. Fields are read from text (a form field or a flag);
 * a field left out takes the default.
 */
export interface ClassificationExperimentSettings {
  /** Real training images per row. */
  sizes: number[];
  /** Synthetic images per row, as a multiple of the row's size. */
  ratios: number[];
  seed: number;
  /** sklearn's C for the L2 penalty. */
  C: number;
  bootstrapIterations: number;
}

export interface SegmentationExperimentSettings extends ClassificationExperimentSettings {
  /** Pixels drawn per training image. */
  pixelsPerImage: number;
  /** First N test pairs only; undefined: all. */
  testLimit?: number;
}

export const CLASSIFICATION_DEFAULTS: Readonly<ClassificationExperimentSettings> = Object.freeze({ sizes: [50, 100, 200], ratios: [0, 0.5, 1, 2], seed: 1, C: 1, bootstrapIterations: 1000 });

export const SEGMENTATION_DEFAULTS: Readonly<SegmentationExperimentSettings> = Object.freeze({ sizes: [10, 25, 50], ratios: [0, 1], pixelsPerImage: 256, seed: 1, C: 1, bootstrapIterations: 1000 });

type Typed<T> = { [K in keyof T]?: string | number };

/** "50,100,200" -> [50, 100, 200]; one bad entry refuses the whole list, naming it. */
export function readNumberList(name: string, text: string): number[] {
  const values = text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new StudioError('settings-invalid', `${name}: expected comma-separated non-negative numbers, received "${text}"`);
  }
  return values;
}

const listOr = (name: string, text: string | number | undefined, fallback: readonly number[]) => (text === undefined ? [...fallback] : readNumberList(name, String(text)));
const numberOr = (name: string, text: string | number | undefined, fallback: number, rule: Parameters<typeof readNumber>[2]) => (text === undefined ? fallback : readNumber(name, text, rule));

export function readClassificationSettings(typed: Typed<ClassificationExperimentSettings>, defaults: Readonly<ClassificationExperimentSettings> = CLASSIFICATION_DEFAULTS): ClassificationExperimentSettings {
  return {
    sizes: listOr('sizes', typed.sizes, defaults.sizes),
    ratios: listOr('ratios', typed.ratios, defaults.ratios),
    seed: numberOr('seed', typed.seed, defaults.seed, { integer: true, min: 0, max: 2 ** 32 - 1 }),
    C: numberOr('C', typed.C, defaults.C, { above: 0 }),
    bootstrapIterations: numberOr('bootstrap', typed.bootstrapIterations, defaults.bootstrapIterations, { integer: true, min: 0, max: 100_000 }),
  };
}

/** As readClassificationSettings, plus pixels per image and a test limit (blank text: all test pairs). */
export function readSegmentationSettings(typed: Typed<SegmentationExperimentSettings>): SegmentationExperimentSettings {
  const limit = typed.testLimit === undefined || String(typed.testLimit).trim() === '' ? undefined : readNumber('test limit', typed.testLimit, { integer: true, min: 1 });
  return {
    ...readClassificationSettings(typed, SEGMENTATION_DEFAULTS),
    pixelsPerImage: numberOr('pixels', typed.pixelsPerImage, SEGMENTATION_DEFAULTS.pixelsPerImage, { integer: true, min: 1 }),
    ...(limit !== undefined ? { testLimit: limit } : {}),
  };
}
