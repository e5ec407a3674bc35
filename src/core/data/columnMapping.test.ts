import { describe, expect, it } from 'vitest';
import { guessColumnMapping, readLabelRows } from './columnMapping.ts';
import { parseCsv } from './csvTable.ts';

describe('column mapping', () => {
  const table = parseCsv('Image,Diagnosis,Split\r\na.png,normal,test\r\nb.png,pneumonia,train\r\n');
  it('guesses file, label and split columns from common names, case-insensitively', () => {
    expect(guessColumnMapping(table.columns)).toEqual({ file: 'Image', label: 'Diagnosis', split: 'Split' });
  });
  it('filters by split and reads the mapped columns', () => {
    expect(readLabelRows(table, guessColumnMapping(table.columns), { split: 'test' })).toEqual([{ file: 'a.png', label: 'normal', split: 'test' }]);
  });
  it('honours a chosen column over the guess', () => {
    expect(guessColumnMapping(table.columns, { label: 'Split' }).label).toBe('Split');
  });
  it('says which column is missing and what the CSV has', () => {
    const noLabel = parseCsv('file,patient\na.png,p1\n');
    expect(() => readLabelRows(noLabel, guessColumnMapping(noLabel.columns), { requireLabel: true })).toThrow(
      /no label column: expected one of \[label, .*\] or a chosen column; the CSV has \[file, patient\]/,
    );
    expect(() => readLabelRows(noLabel, { file: 'file', label: 'diagnosis' })).toThrow('label column "diagnosis" is not in the CSV; it has [file, patient]');
  });
});
