import { StudioError, toErrorPayload } from '../errors.ts';
import { decodeImage, type RasterDecoder } from '../image/decode.ts';
import { limitSize } from '../image/limitSize.ts';
import { diceScore, type EmptyTruthRule } from '../metrics/dice.ts';
import { hausdorff95 } from '../metrics/hausdorff95.ts';
import { iou } from '../metrics/iou.ts';
import { analyzeImage, type AnalyzeModels } from '../pipelines/analyze.ts';
import type { CaseResult } from './caseResult.ts';
import type { EvaluationItem } from './evaluationSet.ts';

export interface CaseOptions {
  /** Segmenter channel scored against the masks (its convention must match theirs). */
  diceChannel: number;
  emptyTruth: EmptyTruthRule;
  /** Also compute HD95 (pixels; slower: distances between the two mask surfaces). */
  hd95?: boolean;
  decodeRaster?: RasterDecoder;
  signal?: AbortSignal;
}

export interface CaseInput {
  item: EvaluationItem;
  imageBytes: Uint8Array;
  maskBytes?: Uint8Array;
}

/**
 * Score one image: decode (downscaling huge ones), run the models through the
 * analyze pipeline, and compare with its mask. Failures become fields of the
 * result, so one bad file never stops a run; only cancellation throws.
 * Returns no pixels: nothing of the image outlives this call.
 */
export async function evaluateCase({ item, imageBytes, maskBytes }: CaseInput, models: AnalyzeModels, options: CaseOptions): Promise<CaseResult & { predictedMask?: Uint8Array }> {
  const started = performance.now();
  const result: CaseResult & { predictedMask?: Uint8Array } = { stem: item.stem, image: item.image, ms: 0 };
  if (item.mask) result.mask = item.mask;
  if (item.label !== undefined) result.label = item.label;
  if (item.classIndex !== undefined) result.classIndex = item.classIndex;
  if (item.classIndices !== undefined) result.classIndices = item.classIndices;
  try {
    // 1. Decode and bound the size
    const decoded = await decodeImage(imageBytes, options.decodeRaster);
    const { image, downscaledFrom } = limitSize(decoded);
    result.width = image.width;
    result.height = image.height;
    if (downscaledFrom) result.downscaledFrom = downscaledFrom;
    if (options.signal?.aborted) throw new StudioError('aborted', 'evaluation was cancelled');

    // 2. Run the models
    const analysis = await analyzeImage(image, models, { signal: options.signal });
    if (analysis.classification) {
      const p = analysis.classification.probabilities;
      result.probabilities = p;
      result.predictedIndex = p.indexOf(Math.max(...p));
    }

    // 3. Compare with the ground-truth mask
    const channel = analysis.segmentation?.channels[options.diceChannel];
    if (channel) {
      result.predictedPixels = channel.area.pixels;
      result.predictedMask = channel.mask;
      if (maskBytes) {
        try {
          const truth = await truthMask(maskBytes, decoded.width, decoded.height, image.width, image.height);
          result.truthPixels = truth.reduce((n, v) => n + v, 0);
          result.dice = diceScore(channel.mask, truth, options.emptyTruth);
          result.iou = iou(channel.mask, truth, options.emptyTruth);
          if (options.hd95 && result.dice !== null) result.hd95 = hausdorff95(channel.mask, truth, image.width, image.height);
        } catch (error) {
          result.maskError = toErrorPayload(error);
        }
      }
    }
  } catch (error) {
    const payload = toErrorPayload(error);
    if (payload.code === 'aborted') throw error;
    result.error = payload;
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

/** Ground truth at the (possibly downscaled) image size; foreground = at least half the mask's brightest value. */
async function truthMask(bytes: Uint8Array, imageWidth: number, imageHeight: number, width: number, height: number): Promise<Uint8Array> {
  const decoded = await decodeImage(bytes);
  if (decoded.width !== imageWidth || decoded.height !== imageHeight) {
    throw new StudioError('mask-size-mismatch', `mask is ${decoded.width}x${decoded.height}, its image is ${imageWidth}x${imageHeight}`);
  }
  const { image } = limitSize(decoded);
  if (image.width !== width || image.height !== height) throw new StudioError('mask-size-mismatch', `mask downscaled to ${image.width}x${image.height}, image to ${width}x${height}`);
  let max = 0;
  for (const v of image.values) if (v > max) max = v;
  const mask = new Uint8Array(image.values.length);
  if (max > 0) for (let i = 0; i < mask.length; i++) mask[i] = image.values[i] >= max / 2 ? 1 : 0;
  return mask;
}
