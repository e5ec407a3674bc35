import { describe, expect, it } from 'vitest';
import { buildEvaluationSet } from './evaluationSet.ts';
import { labelSet, looksMultiLabel } from './labelSets.ts';

const classes = ['normal', 'pneumonia', 'tuberculosis', 'covid19'];

describe('multi-label cells', () => {
  it('splits on | , ; and maps each part, a map target may itself be a set', () => {
    expect(labelSet('Pneumonia|Tuberculosis', classes)).toEqual({ indices: [1, 2], unknown: [] });
    expect(labelSet('COVID-19, ARDS', classes, { 'COVID-19': 'covid19|pneumonia' })).toEqual({ indices: [1, 3], unknown: ['ARDS'] });
    expect(labelSet('pneumonia; pneumonia', classes)).toEqual({ indices: [1], unknown: [] });
    expect(labelSet('', classes)).toEqual({ indices: [], unknown: [] });
  });

  it('is guessed from the cells: any cell with two parts', () => {
    expect(looksMultiLabel(['normal', 'pneumonia', undefined])).toBe(false);
    expect(looksMultiLabel(['normal', 'COVID-19, ARDS'])).toBe(true);
    expect(looksMultiLabel(['a|'])).toBe(false);
  });

  it('gives items a class set, lists unknown parts, and leaves out an item with only unknown ones', () => {
    const set = buildEvaluationSet({
      images: ['a.png', 'b.png', 'c.png'],
      rows: [{ file: 'a.png', label: 'Pneumonia|Effusion' }, { file: 'b.png', label: 'Effusion' }, { file: 'c.png', label: 'No Finding' }],
      classes,
      labelMap: { 'No Finding': 'normal' },
      needLabels: true,
      multiLabel: true,
    });
    expect(set.items.map((i) => i.classIndices)).toEqual([[1], undefined, [0]]);
    expect(set.issues.map((i) => [i.file, i.kind, i.detail])).toEqual([
      ['a.png', 'label-unknown', 'label(s) "Effusion" not among the model\'s classes [normal, pneumonia, tuberculosis, covid19]; scored on the rest'],
      ['b.png', 'label-unknown', 'label(s) "Effusion" not among the model\'s classes [normal, pneumonia, tuberculosis, covid19]; not scored'],
    ]);
    expect(set.counts).toMatchObject({ images: 3, labelled: 2, usable: 2 });
  });
});
