import { decode } from 'fast-png';
import { ImageError, StudioError } from '../errors.ts';
import type { CsvTable } from '../data/csvTable.ts';
import { toDisplayRange } from '../image/decode.ts';
import type { ModalityImage } from '../image/dicomPixels.ts';
import { maskFromPixels } from '../mask/maskFromPixels.ts';
import type { SegmentationSample } from './segAugmentExperiment.ts';

/**
 * One (image, mask) pair as the segmentation augmentation experiment sees it,
 * built the same way by the CLI (onnxruntime-node) and the Curate page (the
 * analysis worker), so the two give the same numbers.
 */

/** Probabilities are clamped to [ε, 1 − ε] first, so a saturated pixel gives a logit of ±13.8, not ±Infinity. */
export const LOGIT_CLAMP = 1e-6;

export function clampedLogit(probability: number): number {
  const q = Math.min(1 - LOGIT_CLAMP, Math.max(LOGIT_CLAMP, probability));
  return Math.log(q / (1 - q));
}

/**
 * `probabilities`: the segmenter's chosen channel at the image's size; intensity is the
 * image as the models see it (default window, 0..255) scaled to 0..1.
 */
export function segmentationSample(image: ModalityImage, probabilities: ArrayLike<number>, mask: ArrayLike<number>, name = 'image'): SegmentationSample {
  const pixels = image.width * image.height;
  if (probabilities.length !== pixels) throw new RangeError(`segmentationSample: ${probabilities.length} probabilities for ${image.width}x${image.height}`);
  if (mask.length !== pixels) throw new StudioError('mask-size-mismatch', `${name}: its mask has ${mask.length} pixels, the image ${image.width}x${image.height} = ${pixels}`);
  return {
    width: image.width,
    height: image.height,
    logits: Float64Array.from(probabilities, clampedLogit),
    intensity: Float64Array.from(toDisplayRange(image), (v) => v / 255),
    mask,
  };
}

/**
 * A pair's mask PNG as 0/1 (foreground above half range) at exactly its image's size:
 * a mask of another size is refused, not resampled, since it would not line up with
 * the image it is scored against.
 */
export function pairMaskFromPng(bytes: Uint8Array, image: { width: number; height: number }, name: string, imageName: string): Uint8Array {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new ImageError('image-decode-failed', `${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (png.width !== image.width || png.height !== image.height) {
    throw new StudioError('mask-size-mismatch', `${name}: ${png.width}x${png.height}, the image ${imageName} is ${image.width}x${image.height}`);
  }
  if (png.width !== png.height) throw new StudioError('mask-size-mismatch', `${name}: ${png.width}x${png.height}; the experiment needs square pairs`);
  return maskFromPixels({ width: png.width, height: png.height, channels: png.channels, data: png.data, maxValue: 2 ** png.depth - 1 }, png.width);
}

/** Paths (relative to the folder) of a real set's (image, mask) pairs in one split: labels.csv rows with a mask. */
export function realSegPairs(table: CsvTable, split: 'train' | 'test', source = 'labels.csv'): { image: string; mask: string }[] {
  const missing = ['file', 'mask', 'split'].filter((c) => !table.columns.includes(c));
  if (missing.length) throw new StudioError('labels-invalid', `${source}: needs columns file, mask, split; has [${table.columns.join(', ')}]`);
  return table.rows.filter((r) => r.split === split && r.mask).map((r) => ({ image: r.file, mask: r.mask }));
}
