import { describe, expect, it } from 'vitest';
import { caseTableRows } from './caseTable.ts';

describe('caseTableRows', () => {
  it('names the scoring model on every row, per role', () => {
    const rows = caseTableRows(
      [{ stem: 'a', image: 'a.png', mask: 'a.png', dice: 0.9, iou: 0.8, width: 2, height: 2, ms: 3 }],
      [],
      [{ role: 'segmenter', file: 'segmenter.int8.onnx', sha256: '7'.repeat(64) }],
    );
    expect(rows[0]).toMatchObject({ stem: 'a', dice: 0.9, segmenter_file: 'segmenter.int8.onnx', segmenter_sha256: '7'.repeat(64) });
    expect(Object.keys(rows[0]).filter((k) => k.startsWith('classifier_'))).toEqual([]);
  });
  it('keeps one probability column per class before the model columns', () => {
    const [row] = caseTableRows(
      [{ stem: 'b', image: 'b.png', label: 'normal', classIndex: 0, predictedIndex: 1, probabilities: [0.3, 0.7], ms: 1 }],
      ['normal', 'pneumonia'],
      [{ role: 'classifier', file: 'mine.onnx', sha256: 'c'.repeat(64) }],
    );
    expect(row).toMatchObject({ predicted: 'pneumonia', p_normal: 0.3, p_pneumonia: 0.7, classifier_file: 'mine.onnx' });
    expect(Object.keys(row).slice(-2)).toEqual(['classifier_file', 'classifier_sha256']);
  });
});
