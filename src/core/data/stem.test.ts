import { describe, expect, it } from 'vitest';
import { fileStem } from './stem.ts';

describe('fileStem', () => {
  it('drops folders (either slash) and the last extension only', () => {
    expect(fileStem('images/CHNCXR_0001_0.png')).toBe('CHNCXR_0001_0');
    expect(fileStem('C:\\data\\x.y.dcm')).toBe('x.y');
    expect(fileStem('.hidden')).toBe('.hidden');
    expect(fileStem('noext')).toBe('noext');
  });
});
