import { describe, expect, it } from 'vitest';
import { parseLabelMap } from './labelMap.ts';

describe('parseLabelMap', () => {
  it('reads name=class pairs, trimming spaces', () => {
    expect(parseLabelMap(' No Finding = normal,Pneumonia=pneumonia ')).toEqual({ 'No Finding': 'normal', Pneumonia: 'pneumonia' });
  });
  it('is empty for empty text and says what a bad pair should look like', () => {
    expect(parseLabelMap('')).toEqual({});
    expect(parseLabelMap(undefined)).toEqual({});
    expect(() => parseLabelMap('normal')).toThrow('label map: expected "dataset label=model class", received "normal"');
  });
});
