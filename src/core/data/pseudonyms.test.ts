import { describe, expect, it } from 'vitest';
import { pseudonymiseJson, pseudonymiseRows, pseudonymsFor } from './pseudonyms.ts';

describe('pseudonymsFor', () => {
  it('gives an image, its mask and its stem one pseudonym, keeping extensions and dropping folders', () => {
    const p = pseudonymsFor(['images/CHNCXR_0304_0.png', 'masks/CHNCXR_0304_0.png', 'b/AB123.dcm']);
    expect(p.of('images/CHNCXR_0304_0.png')).toBe('case-0002.png');
    expect(p.of('masks/CHNCXR_0304_0.png')).toBe('case-0002.png');
    expect(p.of('CHNCXR_0304_0')).toBe('case-0002');
    expect(p.of('b/AB123.dcm')).toBe('case-0001.dcm');
    expect(p.key()).toEqual([{ pseudonym: 'case-0001', original: 'AB123' }, { pseudonym: 'case-0002', original: 'CHNCXR_0304_0' }]);
  });

  it('is stable: the same files in another order get the same pseudonyms', () => {
    const a = pseudonymsFor(['x.png', 'y.png', 'z.png']);
    const b = pseudonymsFor(['z.png', 'x.png', 'y.png']);
    expect(['x.png', 'y.png', 'z.png'].map(a.of)).toEqual(['x.png', 'y.png', 'z.png'].map(b.of));
  });

  it('keeps stems with dots (DICOM UIDs) whole and refuses a name it was not given', () => {
    const p = pseudonymsFor(['1.2.840.113.dcm']);
    expect(p.of('1.2.840.113')).toBe('case-0001');
    expect(p.of('1.2.840.113.dcm')).toBe('case-0001.dcm');
    expect(() => p.of('other.png')).toThrow('no pseudonym for other.png');
  });

  it('replaces only the named columns of rows', () => {
    const p = pseudonymsFor(['a/P1.png']);
    expect(pseudonymiseRows([{ image: 'a/P1.png', stem: 'P1', label: 'normal', p: 0.5 }], ['image', 'stem'], p)).toEqual([{ image: 'case-0001.png', stem: 'case-0001', label: 'normal', p: 0.5 }]);
  });

  it('scrubs names out of free text and JSON, leaving numbers and other words', () => {
    const p = pseudonymsFor(['P1.png', 'P10.png']);
    expect(p.scrub('P1.png: PNG declares 20000x20000; P10 and P1x stay apart')).toBe('case-0001.png: PNG declares 20000x20000; case-0002 and P1x stay apart');
    const words = pseudonymsFor(['empty.png', 'no-row.png']);
    expect(words.scrub('empty.png: the file is empty; no row for no-row')).toBe('case-0001.png: the file is empty; no row for case-0002');
    const summary = { failures: [{ file: 'P10.png', detail: 'P10.png: truncated' }], worst: [{ stem: 'P1', dice: 0.5 }], n: 1 };
    expect(pseudonymiseJson(summary, p)).toEqual({ failures: [{ file: 'case-0002.png', detail: 'case-0002.png: truncated' }], worst: [{ stem: 'case-0001', dice: 0.5 }], n: 1 });
  });
});
