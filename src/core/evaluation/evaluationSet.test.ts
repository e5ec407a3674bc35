import { describe, expect, it } from 'vitest';
import { buildEvaluationSet, classificationOnlyNote } from './evaluationSet.ts';

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
      { stem: 'b', image: 'img/b.png', label: 'No Finding', classIndex: 0 },
      { stem: 'c', image: 'img/c.dcm', mask: 'masks/c.png', label: 'sarcoidosis' },
    ]);
    expect(summary.counts).toEqual({ images: 2, labelled: 1, withMask: 1, usable: 2, classificationOnly: 1 });
  });
  it('lists each problem with the file and a reason', () => {
    expect(summary.issues.map((i) => [i.file, i.kind])).toEqual([
      ['img/a.png', 'stem-conflict'],
      ['other/a.png', 'stem-conflict'],
      ['img/c.dcm', 'label-unknown'],
      ['img/notes.txt', 'not-an-image'],
      ['images/z.png', 'no-image'],
    ]);
    expect(summary.issues[0].detail).toBe('2 images are called a (img/a.png, other/a.png), so labels and masks cannot be matched; none is used');
    expect(summary.issues[2].detail).toBe('label "sarcoidosis" is not one of the model\'s classes [normal, pneumonia]');
  });
  it('reports two disagreeing rows for one image as a conflict (not last-wins); identical repeats are used', () => {
    const set = buildEvaluationSet({
      images: ['x.png', 'y.png'],
      rows: [{ file: 'x.png', label: 'normal' }, { file: 'x.png', label: 'pneumonia' }, { file: 'y.png', label: 'normal' }, { file: 'y.png', label: 'normal' }],
      classes: ['normal', 'pneumonia'],
      needLabels: true,
    });
    expect(set.items).toEqual([{ stem: 'x', image: 'x.png' }, { stem: 'y', image: 'y.png', label: 'normal', classIndex: 0 }]);
    expect(set.issues).toEqual([{ file: 'x.png', kind: 'label-conflict', detail: 'the labels CSV has 2 rows for x that disagree ("normal" vs "pneumonia"); its label is not used' }]);
  });
  it('names the real cause of a missing label: empty cell, no label column, no row', () => {
    const classes = ['normal'];
    const empty = buildEvaluationSet({ images: ['x.png', 'y.png'], rows: [{ file: 'x.png', label: ' ' }], classes, needLabels: true });
    expect(empty.issues.map((i) => i.detail)).toEqual(['the label cell for x in the labels CSV is empty', 'no row for y in the labels CSV']);
    const noColumn = buildEvaluationSet({ images: ['x.png'], rows: [{ file: 'x.png' }], classes, needLabels: true });
    expect(noColumn.issues.map((i) => i.detail)).toEqual(['the labels CSV has no label column']);
  });
  it('counts a labelled image without a mask as classification-only, once; an image that can be scored by neither model is still an issue', () => {
    const set = buildEvaluationSet({
      images: ['a.png', 'b.png', 'c.png', 'd.png'],
      masks: ['m/a.png', 'm/orphan.png'],
      rows: [{ file: 'a.png', label: 'normal' }, { file: 'b.png', label: 'normal' }, { file: 'c.png', label: 'pneumonia' }, { file: 'd.png', label: 'sarcoidosis' }],
      classes: ['normal', 'pneumonia'],
      needLabels: true,
      needMasks: true,
    });
    expect(set.counts).toEqual({ images: 4, labelled: 3, withMask: 1, usable: 3, classificationOnly: 2 });
    expect(set.issues.map((i) => [i.file, i.kind])).toEqual([['d.png', 'no-mask'], ['d.png', 'label-unknown'], ['m/orphan.png', 'no-image']]);
    expect(classificationOnlyNote(set.counts.classificationOnly)).toBe('2 image(s) have no mask: scored for classification only');
    expect(classificationOnlyNote(0)).toBe('');
    // without labels to score, an image with no mask cannot be used at all
    const masksOnly = buildEvaluationSet({ images: ['a.png', 'b.png'], masks: ['m/a.png'], needMasks: true });
    expect(masksOnly.counts.classificationOnly).toBe(0);
    expect(masksOnly.issues).toEqual([{ file: 'b.png', kind: 'no-mask', detail: 'no mask named b.*' }]);
  });
  it('uses a mask the CSV names only when it is among the masks', () => {
    const set = buildEvaluationSet({ images: ['x.png'], masks: ['m/x.png'], rows: [{ file: 'x.png', label: 'normal', mask: '../../etc/passwd' }], classes: ['normal'], needMasks: true });
    expect(set.items[0].mask).toBeUndefined();
    expect(set.issues).toEqual([{ file: 'x.png', kind: 'no-mask', detail: 'the labels CSV names mask ../../etc/passwd, which is not among the masks' }]);
  });
  it('orders items by name whatever order the files came in (zip order, folder order)', () => {
    const set = buildEvaluationSet({ images: ['b/2.png', 'a/10.png', 'a/1.png'] });
    expect(set.items.map((i) => i.image)).toEqual(['a/1.png', 'a/10.png', 'b/2.png']);
  });
  it('keeps only listed images after a split filter', () => {
    const listed = buildEvaluationSet({ images: ['a.png', 'b.png'], rows: [{ file: 'b.png', label: 'normal' }], classes: ['normal'], onlyListed: true });
    expect(listed.items.map((i) => i.stem)).toEqual(['b']);
  });
});
