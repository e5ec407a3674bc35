import type { Activation } from '../manifest/types.ts';

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Numerically stable softmax (max subtracted first). */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Element-wise activation for maps (segmentation logits); softmax runs across `channels` planes. */
export function activateChannels(values: Float32Array, channels: number, activation: Activation): Float32Array {
  const out = new Float32Array(values.length);
  if (activation === 'none') {
    out.set(values);
  } else if (activation === 'sigmoid') {
    for (let i = 0; i < values.length; i++) out[i] = sigmoid(values[i]);
  } else {
    const plane = values.length / channels;
    const column = new Float32Array(channels);
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < channels; c++) column[c] = values[c * plane + p];
      const probs = softmax(column);
      for (let c = 0; c < channels; c++) out[c * plane + p] = probs[c];
    }
  }
  return out;
}

/**
 * Two classes from a binary classifier's one sigmoid logit, the way such models are
 * exported: the logit scores the second class, and the first gets the rest.
 */
export function oneLogitPair(logit: number): [number, number] {
  const p = sigmoid(logit);
  return [1 - p, p];
}

/** Activation over one vector of class logits. */
export function activateVector(logits: ArrayLike<number>, activation: Activation): number[] {
  if (activation === 'softmax') return softmax(logits);
  if (activation === 'sigmoid') return Array.from(logits, sigmoid);
  return Array.from(logits);
}
