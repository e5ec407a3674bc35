import { StudioError, toErrorPayload, type ErrorPayload } from '../errors.ts';
import { decodeImage, type LoadedImage, type RasterDecoder } from '../image/decode.ts';
import { limitSize } from '../image/limitSize.ts';
import { maskWarnings } from '../image/maskWarnings.ts';
import { decodeRadiograph } from '../image/plausibility.ts';
import { groundTruthMask } from '../mask/groundTruth.ts';
import { diceScore, type EmptyTruthRule } from '../metrics/dice.ts';
import { hausdorff95 } from '../metrics/hausdorff95.ts';
import { iou } from '../metrics/iou.ts';
import type { AnalysisResult } from '../pipelines/analyze.ts';
import type { CaseResult } from './caseResult.ts';
import type { EvaluationItem } from './evaluationSet.ts';

/**
 * One test image's stages, apart so that a run can read and decode the next
 * images while the models score this batch (run.ts): `prepareCase` reads and
 * decodes the image and its mask, `scoreCase` compares the models' output with
 * them. Every failure becomes a field of the result naming the file and the
 * cause; nothing here throws, so one bad file never stops a run.
 */
export interface CaseOptions {
  /** Segmenter channel scored against the masks (its convention must match theirs). */
  diceChannel: number;
  emptyTruth: EmptyTruthRule;
  /** Also compute HD95 (pixels; slower: distances between the two mask surfaces). */
  hd95?: boolean;
  decodeRaster?: RasterDecoder;
}

/** A folder, a zip or a set of picked files: names relative, forward slashes. */
export interface EvaluationFileSource {
  readonly files: readonly string[];
  readonly rejected?: ReadonlyArray<{ name: string; reason: string }>;
  read(name: string): Uint8Array | Promise<Uint8Array>;
}

export interface PreparedCase {
  result: CaseResult;
  /** Absent when the image could not be used (`result.error` says why). */
  image?: LoadedImage;
  /** Ground truth at the image's (possibly downscaled) size, by the one mask rule (groundTruth.ts). */
  truth?: Uint8Array;
}

/** Read a file from its source; a failure names the file and the cause. */
async function readFile(source: EvaluationFileSource, name: string, what: string): Promise<Uint8Array> {
  if (!source.files.includes(name)) throw new StudioError('file-unreadable', `${what} ${name} is not among the given files`);
  try {
    return await source.read(name);
  } catch (error) {
    const { detail } = toErrorPayload(error);
    throw new StudioError('file-unreadable', `${what} ${name} could not be read: ${detail}`, { cause: error });
  }
}

const named = (name: string, error: unknown): ErrorPayload => {
  const { code, detail } = toErrorPayload(error);
  return { code, detail: detail.includes(name) ? detail : `${name}: ${detail}` };
};

export async function prepareCase(item: EvaluationItem, images: EvaluationFileSource, masks: EvaluationFileSource | undefined, options: Pick<CaseOptions, 'decodeRaster'>): Promise<PreparedCase> {
  const result: CaseResult = { stem: item.stem, image: item.image, ms: 0 };
  if (item.mask) result.mask = item.mask;
  if (item.label !== undefined) result.label = item.label;
  if (item.classIndex !== undefined) result.classIndex = item.classIndex;
  if (item.classIndices !== undefined) result.classIndices = item.classIndices;
  const started = performance.now();
  let image: LoadedImage;
  let original: { width: number; height: number };
  try {
    const decoded = await decodeRadiograph(await readFile(images, item.image, 'image'), options.decodeRaster);
    original = decoded;
    if (decoded.notes?.length) result.notes = [...decoded.notes];
    const limited = limitSize(decoded);
    image = limited.image;
    result.width = image.width;
    result.height = image.height;
    if (limited.downscaledFrom) result.downscaledFrom = limited.downscaledFrom;
  } catch (error) {
    result.error = named(item.image, error);
    result.ms = Math.round(performance.now() - started);
    return { result };
  }
  const prepared: PreparedCase = { result, image };
  if (item.mask && masks) {
    try {
      const truth = await truthMask(await readFile(masks, item.mask, 'mask'), original, image);
      prepared.truth = truth.mask;
      if (truth.warnings.length) result.maskWarnings = truth.warnings;
    } catch (error) {
      result.maskError = named(item.mask, error);
    }
  }
  result.ms = Math.round(performance.now() - started);
  return prepared;
}

/** Fill in the models' verdict and the mask scores; returns the predicted mask of the scored channel (for the viewer or --save-masks). */
export function scoreCase(prepared: PreparedCase, analysis: AnalysisResult, options: CaseOptions): Uint8Array | undefined {
  const { result, truth, image } = prepared;
  if (analysis.classification) {
    const p = analysis.classification.probabilities;
    result.probabilities = p;
    result.predictedIndex = p.indexOf(Math.max(...p));
  }
  const channel = analysis.segmentation?.channels[options.diceChannel];
  if (!channel) return undefined;
  result.predictedPixels = channel.area.pixels;
  if (truth) {
    try {
      result.truthPixels = truth.reduce((n, v) => n + v, 0);
      result.dice = diceScore(channel.mask, truth, options.emptyTruth);
      result.iou = iou(channel.mask, truth, options.emptyTruth);
      if (options.hd95 && result.dice !== null) result.hd95 = hausdorff95(channel.mask, truth, image!.width, image!.height);
    } catch (error) {
      result.maskError = named(result.mask ?? result.image, error);
    }
  }
  return channel.mask;
}

/** Ground truth at the (possibly downscaled) image size, binarised by the one rule in groundTruth.ts, with what looks wrong about it. */
async function truthMask(bytes: Uint8Array, original: { width: number; height: number }, image: { width: number; height: number }): Promise<{ mask: Uint8Array; warnings: string[] }> {
  const decoded = await decodeImage(bytes);
  if (decoded.width !== original.width || decoded.height !== original.height) {
    throw new StudioError('mask-size-mismatch', `mask is ${decoded.width}x${decoded.height}, its image is ${original.width}x${original.height}`);
  }
  const limited = limitSize(decoded).image;
  if (limited.width !== image.width || limited.height !== image.height) throw new StudioError('mask-size-mismatch', `mask downscaled to ${limited.width}x${limited.height}, image to ${image.width}x${image.height}`);
  const mask = groundTruthMask(limited.values);
  return { mask, warnings: maskWarnings(mask, limited.width, limited.height, decoded.notes) };
}
