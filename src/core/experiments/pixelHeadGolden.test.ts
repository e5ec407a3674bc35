import { describe, expect, it } from 'vitest';
import { dice } from '../metrics/dice.ts';
import { expectClose } from '../metrics/fixtures/close.ts';
import golden from '../curation/fixtures/curation_golden.json';
import { logisticProbability } from './logisticRegression.ts';
import { featuresAt, pixelFeatureMaps } from './pixelFeatures.ts';
import { fitPixelHead, predictMask, samplePixels } from './segAugmentExperiment.ts';
import { standardize } from './standardize.ts';

// training/golden/golden_curation.py section 9: numpy features (explicit window loops, not a
// summed-area table), mulberry32 pixel draws, sklearn StandardScaler + LogisticRegression.
const g = golden.pixel_head;

describe('per-pixel segmentation head (golden: numpy features, sklearn LogisticRegression l2 newton-cg)', () => {
  const rows: Float64Array[] = [];
  const positive: boolean[] = [];
  g.train.forEach((view, k) => {
    const maps = pixelFeatureMaps(view, g.radius);
    for (const p of samplePixels(view.width * view.height, g.pixels_per_image, g.seeds[k])) {
      rows.push(featuresAt(maps, p).slice());
      positive.push(view.mask[p] > 0);
    }
  });
  const head = fitPixelHead(rows, positive, g.C);

  it('standardizes and fits the weights sklearn finds', () => {
    expectClose([...head.scaler.mean], g.mean, 1e-12);
    expectClose([...head.scaler.scale], g.scale, 1e-12);
    expectClose([...head.model.weights], g.coef, 1e-6);
    expectClose(head.model.intercept, g.intercept, 1e-6);
  });

  it('gives sklearn\'s probabilities, mask (p >= 0.5) and Dice on an unseen image', () => {
    const maps = pixelFeatureMaps(g.test, g.radius);
    const proba = Array.from({ length: g.test.width * g.test.height }, (_, p) => logisticProbability(head.model, standardize(head.scaler, featuresAt(maps, p))));
    expectClose(proba, g.proba_test, 1e-7);
    const mask = predictMask(head, g.test, g.radius);
    expect(Array.from(mask)).toEqual(g.mask_test);
    expectClose(dice(mask, g.test.mask), g.dice_test, 1e-12);
  });
});
