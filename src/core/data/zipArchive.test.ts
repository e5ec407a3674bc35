import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { listZip, readZipAll, readZipEntry } from './zipArchive.ts';

/** fflate writes names as given, so a hostile archive is easy to build in the test. */
const archive = zipSync({
  'set/images/a.png': new Uint8Array([1, 2, 3]),
  'set/labels.csv': new TextEncoder().encode('file,label\n'),
  '../evil.png': new Uint8Array([9]),
  'set/../../escape.txt': new Uint8Array([9]),
  '/etc/passwd': new Uint8Array([9]),
});

describe('zip adapter', () => {
  it('lists safe files and refuses ../ and absolute names with the reason', () => {
    const listing = listZip(archive);
    expect(listing.files.sort()).toEqual(['set/images/a.png', 'set/labels.csv']);
    expect(listing.rejected).toEqual(
      expect.arrayContaining([
        { name: '../evil.png', reason: 'path leaves the archive (contains "..")' },
        { name: 'set/../../escape.txt', reason: 'path leaves the archive (contains "..")' },
        { name: '/etc/passwd', reason: 'absolute path' },
      ]),
    );
  });
  it('inflates one entry on demand and refuses to read an unsafe one', () => {
    expect([...readZipEntry(archive, 'set/images/a.png')]).toEqual([1, 2, 3]);
    expect(() => readZipEntry(archive, '../evil.png')).toThrow('../evil.png: path leaves the archive');
  });
  it('reports a file that is not a zip', () => {
    expect(() => listZip(new Uint8Array([1, 2, 3, 4]))).toThrow('not a zip file');
    expect(() => readZipAll(new Uint8Array([1, 2, 3, 4]))).toThrow('not a zip file');
  });
  it('inflates every safe file in one pass and never an unsafe one', () => {
    const { files, rejected } = readZipAll(archive);
    expect([...files.keys()].sort()).toEqual(['set/images/a.png', 'set/labels.csv']);
    expect([...files.get('set/images/a.png')!]).toEqual([1, 2, 3]);
    expect(rejected.map((r) => r.name).sort()).toEqual(['../evil.png', '/etc/passwd', 'set/../../escape.txt']);
  });

  it('refuses an entry declaring more than the inflated-size limit before inflating, and holds one that lies low to its declared size', () => {
    const zip = zipSync({ 'big.png': new Uint8Array(1000), 'small.png': new Uint8Array(5000) });
    const view = new DataView(zip.buffer);
    const central = (name: string) => {
      for (let at = zip.length - 22; at > 0; at--) {
        if (view.getUint32(at, true) === 0x02014b50 && new TextDecoder().decode(zip.subarray(at + 46, at + 46 + name.length)) === name) return at;
      }
      throw new Error(name);
    };
    view.setUint32(central('big.png') + 24, 0xfffffff0, true);
    view.setUint32(central('small.png') + 24, 100, true);
    const listing = listZip(zip);
    expect(listing.files).toEqual(['small.png']);
    expect(listing.rejected).toEqual([{ name: 'big.png', reason: expect.stringMatching(/declares 4\.0 GiB uncompressed, above the 256\.0 MiB limit/) }]);
    expect(() => readZipEntry(zip, 'big.png')).toThrow('declares 4.0 GiB');
    // an entry that lies low is held to its declared 100 bytes: cut there, or refused when fflate notices the overrun
    let held: Uint8Array | string;
    try {
      held = readZipEntry(zip, 'small.png');
    } catch (error) {
      held = (error as Error).message;
    }
    if (typeof held === 'string') expect(held).toContain('inflates to more than the size its zip header declares');
    else expect(held.length).toBe(100);
  });
});
