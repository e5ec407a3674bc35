import { describe, expect, it } from 'vitest';
import { buildEvaluationSet } from './evaluationSet.ts';

describe('buildEvaluationSet', () => {
  const summary = buildEvaluationSet({
    images: ['img/a.png', 'img/b.png', 'img/c.dcm', 'img/notes.txt', 'other/a.png'],
    masks: ['masks/a.png', 'masks/c.png'],
    rows: [
      { file: 'images/a.png', label: 'Normal' },
      { file: 'images/b.png', label: 'No Finding' },
      { file: 'images/c.dcm', label: 'sarcoidosis' },
      { file: 'images/z.png', label: 'normal' },
    ],
    classes: ['normal', 'pneumonia'],
    labelMap: { 'No Finding': 'normal' },
    needLabels: true,
    needMasks: true,
  });
  it('matches labels and masks by stem, labels case-insensitively and through the label map', () => {
    expect(summary.items).toEqual([
      { stem: 'a', image: 'img/a.png', mask: 'masks/a.png', label: 'Normal', classIndex: 0 },
      { stem: 'b', image: 'img/b.png', label: 'No Finding', classIndex: 0 },
      { stem: 'c', image: 'img/c.dcm', mask: 'masks/c.png', label: 'sarcoidosis' },
    ]);
    expect(summary.counts).toEqual({ images: 3, labelled: 2, withMask: 2, usable: 3 });
  });
  it('lists each problem with the file and a reason', () => {
    expect(summary.issues.map((i) => [i.file, i.kind])).toEqual([
      ['img/b.png', 'no-mask'],
      ['img/c.dcm', 'label-unknown'],
      ['img/notes.txt', 'not-an-image'],
      ['other/a.png', 'duplicate-stem'],
      ['images/z.png', 'no-image'],
    ]);
    expect(summary.issues[1].detail).toBe('label "sarcoidosis" is not one of the model\'s classes [normal, pneumonia]');
  });
  it('keeps only listed images after a split filter', () => {
    const listed = buildEvaluationSet({ images: ['a.png', 'b.png'], rows: [{ file: 'b.png', label: 'normal' }], classes: ['normal'], onlyListed: true });
    expect(listed.items.map((i) => i.stem)).toEqual(['b']);
  });
});
