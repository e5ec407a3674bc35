import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csvTable.ts';

const encode = (text: string) => new TextEncoder().encode(text);

describe('parseCsv', () => {
  it('reads a UTF-8 BOM and CRLF line ends as a spreadsheet writes them', () => {
    const table = parseCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('file,label\r\na.png,normal\r\nb.png,"pneumonia"\r\n')]));
    expect(table.columns).toEqual(['file', 'label']);
    expect(table.rows).toEqual([{ file: 'a.png', label: 'normal' }, { file: 'b.png', label: 'pneumonia' }]);
  });
  it('sniffs semicolon and tab delimiters', () => {
    expect(parseCsv('file;label\na.png;normal\n').rows[0]).toEqual({ file: 'a.png', label: 'normal' });
    const tab = parseCsv('file\tlabel\na.png\tnormal\n');
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows[0].label).toBe('normal');
  });
  it('reads UTF-16LE with a BOM (Excel "Unicode text")', () => {
    const text = 'file\tlabel\r\nä.png\tnormal\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(bytes.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true);
    expect(parseCsv(bytes).rows).toEqual([{ file: 'ä.png', label: 'normal' }]);
  });
  it('keeps quoted delimiters and trims header spaces', () => {
    expect(parseCsv(' file , note \na.png,"x, y"\n').rows[0]).toEqual({ file: 'a.png', note: 'x, y' });
  });
  it('rejects an empty file with a clear reason', () => {
    expect(() => parseCsv('')).toThrow('labels CSV: no header row found');
  });
  it('writes formula-like text cells as text (spreadsheet formula injection) and numbers as they are', () => {
    const csv = toCsv([{ file: '=HYPERLINK("http://x")', note: '+1', who: '@me', tab: '\tx', value: -0.5 }, { file: 'a.png', note: 'ok', who: 'me', tab: 'x', value: 2 }]);
    const rows = parseCsv(csv).rows;
    expect(rows[0]).toEqual({ file: `'=HYPERLINK("http://x")`, note: "'+1", who: "'@me", tab: "'\tx", value: '-0.5' });
    expect(rows[1]).toEqual({ file: 'a.png', note: 'ok', who: 'me', tab: 'x', value: '2' });
    expect(toCsv([{ b: 1, a: '-x' }], { fields: ['a', 'b'] })).toBe(`a,b\r\n"'-x",1`);
  });
});
