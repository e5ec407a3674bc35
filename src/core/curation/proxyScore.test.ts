import { describe, expect, it } from 'vitest';
import { softmax } from '../tensor/activation.ts';
import { expectClose } from '../metrics/fixtures/close.ts';
import golden from './fixtures/curation_golden.json';
import { maskChannelFor, proxyScore, scoreAnalysis } from './proxyScore.ts';

const CLASSES = ['normal', 'pneumonia', 'tuberculosis', 'covid19'];
const PROMPTS = ['chest x-ray, no finding, adult', 'chest x-ray, pneumonia, adult', 'chest x-ray, tuberculosis, adult', 'chest x-ray, covid-19 pneumonia, adult'];
const CHANNELS = ['lung', 'lung_shenzhen'];

describe('proxyScore (golden: scipy softmax and numpy Dice, training/golden/golden_curation.py)', () => {
  it.each(golden.proxy.map((g) => [g.name, g] as const))('%s', (_, g) => {
    const score = proxyScore({
      prompt: PROMPTS[g.class_index],
      classes: CLASSES,
      probabilities: softmax(g.logits),
      conditioningMask: g.masked ? g.condition : null,
      convention: g.convention ?? undefined,
      segmenterChannels: CHANNELS,
      segmenterMasks: g.segmented,
    });
    expect(score.findingClass).toBe(CLASSES[g.class_index]);
    expectClose(score.findingProbability as number, g.probability, 1e-12);
    if (g.dice === null) {
      expect(score.maskDice).toBeNull();
      expect(score.maskChannel).toBeNull();
    } else {
      expect(score.maskChannel).toBe(g.convention === 'shenzhen' ? 'lung_shenzhen' : 'lung');
      expectClose(score.maskDice as number, g.dice, 1e-12);
    }
  });
  it('gives no probability for a prompt without a known finding', () => {
    const score = proxyScore({ prompt: 'chest x-ray, adult', classes: CLASSES, probabilities: [0.25, 0.25, 0.25, 0.25], conditioningMask: null, segmenterChannels: CHANNELS, segmenterMasks: [] });
    expect(score).toEqual({ findingClass: null, findingProbability: null, maskChannel: null, maskDice: null });
  });
  it('refuses probabilities that do not match the classes', () => {
    expect(() => proxyScore({ prompt: 'chest x-ray, pneumonia', classes: CLASSES, probabilities: [1, 0], conditioningMask: null, segmenterChannels: [], segmenterMasks: [] })).toThrow('2 probabilities for 4 classes');
  });
});

describe('maskChannelFor', () => {
  it('picks the convention channel, else lung, else the first', () => {
    expect(maskChannelFor('shenzhen', CHANNELS)).toBe('lung_shenzhen');
    expect(maskChannelFor(undefined, CHANNELS)).toBe('lung');
    expect(maskChannelFor('unknown', CHANNELS)).toBe('lung');
    expect(maskChannelFor('shenzhen', ['lungs'])).toBe('lungs');
  });
});

describe('scoreAnalysis: the proxy score from an analysis result, as Curate, batch and judge take it', () => {
  const lung = Uint8Array.from([1, 1, 0, 0]);
  const analysis = {
    width: 2,
    height: 2,
    segmentation: { ms: 1, channels: [{ name: 'lung', mask: Uint8Array.from([1, 0, 0, 0]) }, { name: 'lung_shenzhen', mask: Uint8Array.from([1, 1, 0, 0]) }] },
    classification: { ms: 1, classes: CLASSES, probabilities: [0.1, 0.2, 0.6, 0.1], features: new Float32Array(3) },
  } as unknown as Parameters<typeof scoreAnalysis>[0];
  it('scores the prompted finding and the convention channel, with every class probability and no features', () => {
    const score = scoreAnalysis(analysis, { prompt: 'chest x-ray, tuberculosis, adult', conditioningMask: lung, convention: 'shenzhen' });
    expect(score).toEqual({ findingClass: 'tuberculosis', findingProbability: 0.6, maskChannel: 'lung_shenzhen', maskDice: 1, probabilities: { normal: 0.1, pneumonia: 0.2, tuberculosis: 0.6, covid19: 0.1 } });
  });
  it('says so when no classifier ran', () => {
    expect(() => scoreAnalysis({ ...analysis, classification: undefined }, { prompt: 'chest x-ray', conditioningMask: null })).toThrow('needs a classifier');
  });
});
