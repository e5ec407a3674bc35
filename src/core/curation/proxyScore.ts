import { dice } from '../metrics/dice.ts';
import type { AnalysisResult } from '../pipelines/analyze.ts';
import { findingClassOfPrompt } from './promptFinding.ts';

/** What the proxy model says about one generated image. */
export interface ProxyScore {
  /** The class the prompt asks for, or null when the prompt names no known finding. */
  findingClass: string | null;
  /** Classifier probability of that class; null with findingClass null. */
  findingProbability: number | null;
  /** Segmenter channel compared with the conditioning mask; null without a mask. */
  maskChannel: string | null;
  /** Dice between the conditioning mask and the segmenter's mask in that channel. */
  maskDice: number | null;
}

/** A proxy score as the studio keeps it: with every class probability and the classifier's `features` (for FID). */
export interface ScoredImage extends ProxyScore {
  probabilities: Record<string, number>;
  features?: Float32Array;
}

export interface ProxyInput {
  prompt: string;
  classes: readonly string[];
  /** Classifier probabilities (after its activation), one per class. */
  probabilities: ArrayLike<number>;
  /** 0/1 conditioning mask, or null for an image generated without one. */
  conditioningMask: ArrayLike<number> | null;
  /** The mask's convention as the generator got it (e.g. 'shenzhen'), if any. */
  convention?: string;
  /** Segmenter channel names and their binary masks, at the conditioning mask's size. */
  segmenterChannels: readonly string[];
  segmenterMasks: readonly ArrayLike<number>[];
}

/**
 * The segmenter channel drawn in the mask's convention: `lung_<convention>` when
 * the segmenter has it (cxr-studio-v1: `lung_shenzhen`), otherwise `lung`,
 * otherwise the first channel.
 */
export function maskChannelFor(convention: string | undefined, channels: readonly string[]): string {
  if (channels.length === 0) throw new RangeError('maskChannelFor: the segmenter has no channels');
  if (convention && channels.includes(`lung_${convention}`)) return `lung_${convention}`;
  return channels.includes('lung') ? 'lung' : channels[0];
}

export function proxyScore(input: ProxyInput): ProxyScore {
  const { classes, probabilities } = input;
  if (probabilities.length !== classes.length) {
    throw new RangeError(`proxyScore: ${probabilities.length} probabilities for ${classes.length} classes`);
  }
  const findingClass = findingClassOfPrompt(input.prompt, classes);
  const findingProbability = findingClass === null ? null : probabilities[classes.indexOf(findingClass)];
  if (!input.conditioningMask) return { findingClass, findingProbability, maskChannel: null, maskDice: null };
  if (input.segmenterMasks.length !== input.segmenterChannels.length) {
    throw new RangeError(`proxyScore: ${input.segmenterMasks.length} segmenter masks for ${input.segmenterChannels.length} channels`);
  }
  const maskChannel = maskChannelFor(input.convention, input.segmenterChannels);
  const segmented = input.segmenterMasks[input.segmenterChannels.indexOf(maskChannel)];
  return { findingClass, findingProbability, maskChannel, maskDice: dice(input.conditioningMask, segmented) };
}

/** A generated image as the proxy filter sees it: what it was made for, and with which mask. */
export interface GeneratedImageInput {
  prompt: string;
  conditioningMask: ArrayLike<number> | null;
  convention?: string;
}

/**
 * The proxy score of one generated image from the classifier's and segmenter's results on
 * it, with every class probability: what the Curate page, a batch job and `cxr-studio judge`
 * record, so the three agree by construction. The classifier's features are the caller's to
 * keep (the page keeps them for FID; exports do not).
 */
export function scoreAnalysis(analysis: AnalysisResult, image: GeneratedImageInput): ScoredImage {
  const classification = analysis.classification;
  if (!classification) throw new RangeError('scoreAnalysis: the proxy filter needs a classifier, and none ran');
  const channels = analysis.segmentation?.channels ?? [];
  const score = proxyScore({
    ...image,
    classes: classification.classes,
    probabilities: classification.probabilities,
    segmenterChannels: channels.map((c) => c.name),
    segmenterMasks: channels.map((c) => c.mask),
  });
  return { ...score, probabilities: Object.fromEntries(classification.classes.map((c, i) => [c, classification.probabilities[i]])) };
}