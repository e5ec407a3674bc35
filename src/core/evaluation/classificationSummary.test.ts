import { describe, expect, it } from 'vitest';
import { expectClose } from '../metrics/fixtures/close.ts';
import golden from '../metrics/fixtures/metrics_golden.json';
import { classificationAucNote, summarizeClassification } from './classificationSummary.ts';
import { multiLabelAucNote, summarizeMultiLabel } from './multiLabelSummary.ts';

const settings = { threshold: 0.5, zeroDivision: 0 as const, bootstrap: { iterations: 50, seed: 1, level: 0.95 } };

describe('summarizeClassification (golden: sklearn, training/golden/golden_metrics.py)', () => {
  const { ovr } = golden;
  const classes = ['a', 'b', 'c', 'd'];
  const summary = summarizeClassification({ truth: ovr.truth, probabilities: ovr.probabilities }, classes, settings);
  it('gives one-vs-rest AUC per class and their mean', () => {
    expectClose(summary.perClass.map((k) => k.auc as number), ovr.per_class);
    expectClose(summary.aucMacro as number, ovr.macro);
    expect(Object.keys(summary.curves)).toEqual(classes);
  });
  it('averages macro F1 only over classes with examples in the test set, and says which', () => {
    const twoClass = summarizeClassification({ truth: [0, 0, 1, 1], probabilities: [[0.9, 0.1, 0, 0], [0.4, 0.6, 0, 0], [0.2, 0.8, 0, 0], [0.3, 0.7, 0, 0]] }, classes, settings);
    expect(twoClass.averagedOver).toEqual(['a', 'b']);
    // a: P 1, R 0.5, F1 2/3; b: P 2/3, R 1, F1 0.8
    expectClose(twoClass.macro.f1, (2 / 3 + 0.8) / 2);
    expect(twoClass.perClass[2].auc).toBeNull();
    expect(twoClass.ci.macroF1.iterations).toBe(50);
    // predictions into classes the set has no examples of count against recall, never as a 0 in the mean
    const absent = summarizeClassification({ truth: [0, 0, 1, 1], probabilities: [[0.9, 0.1, 0, 0], [0.1, 0.1, 0.8, 0], [0.2, 0.8, 0, 0], [0.1, 0.1, 0, 0.8]] }, classes, settings);
    expect(absent.averagedOver).toEqual(['a', 'b']);
    expect(absent.notAveraged).toEqual(['c', 'd']);
    // a: P 1, R 0.5, F1 2/3; b: P 1, R 0.5, F1 2/3 (c and d, F1 0, were half the mean before)
    expectClose(absent.macro.f1, 2 / 3);
    expectClose(absent.micro.f1, 0.5);
  });
  it('scores P(class) >= threshold per class, separately from the arg-max matrix', () => {
    const s = summarizeClassification({ truth: [0, 1], probabilities: [[0.45, 0.55], [0.2, 0.8]] }, ['x', 'y'], { ...settings, threshold: 0.7 });
    expect(s.confusion).toEqual([[0, 1], [0, 1]]);
    expect(s.perClass[1].atThreshold).toEqual({ precision: 1, recall: 1, f1: 1 });
  });
  it('says in words why a one-class set has no AUC, and is silent when there is one', () => {
    const oneClass = summarizeClassification({ truth: [1, 1, 1], probabilities: [[0.2, 0.8], [0.6, 0.4], [0.1, 0.9]] }, ['normal', 'tuberculosis'], settings);
    expect(oneClass.aucMacro).toBeNull();
    expect(classificationAucNote(oneClass)).toBe('No AUC: it ranks images of one class against the others, and every image here is tuberculosis');
    expect(classificationAucNote(summary)).toBeNull();
  });
});

describe('multiLabelAucNote', () => {
  it('names the labels that are on every image, and only those', () => {
    // label 0 on every image (no AUC), label 1 on some (AUC), label 2 on none (not averaged, not named)
    const m = summarizeMultiLabel({ truth: [[0, 1], [0], [0, 1]], probabilities: [[0.9, 0.8, 0.1], [0.7, 0.2, 0.1], [0.8, 0.6, 0.2]] }, ['covid19', 'pneumonia', 'tuberculosis'], { ...settings, threshold: 0.5 });
    expect(m.perLabel[0].auc).toBeNull();
    expect(m.perLabel[1].auc).toBe(1);
    expect(multiLabelAucNote(m)).toBe('No AUC for covid19: on every image here, and AUC needs images without the label too');
    const both = summarizeMultiLabel({ truth: [[0], [1]], probabilities: [[0.9, 0.1], [0.2, 0.8]] }, ['a', 'b'], settings);
    expect(multiLabelAucNote(both)).toBeNull();
  });
});
