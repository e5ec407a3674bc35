import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { containedName, openSource } from './fileSource.ts';

const root = mkdtempSync(join(tmpdir(), 'cxr-file-source-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const png = encodePng({ width: 1, height: 1, data: Uint8Array.of(7), channels: 1, depth: 8 });

describe('openSource on a folder', () => {
  const dir = join(root, 'set');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'a.png'), png);
  writeFileSync(join(root, 'secret.txt'), 'outside');
  symlinkSync('a.png', join(dir, 'link.png'));
  symlinkSync('nowhere.png', join(dir, 'broken.png'));
  symlinkSync('..', join(dir, 'sub', 'loop'));

  it('follows links, reports broken ones and loops, and lists names relative with forward slashes', () => {
    const source = openSource(dir);
    expect(source.files).toEqual(['a.png', 'link.png']);
    expect(source.rejected).toEqual([
      { name: 'broken.png', reason: 'symbolic link to a file that does not exist' },
      { name: 'sub/loop', reason: 'symbolic link back to a folder already read (a loop); not followed' },
    ]);
    expect(Buffer.from(source.read('link.png')).equals(Buffer.from(png))).toBe(true);
  });

  it('reads only names inside it (a labels CSV mask cell cannot reach out)', () => {
    const source = openSource(dir);
    expect(() => source.read('../secret.txt')).toThrow('path leaves the archive');
    expect(() => source.read(join(root, 'secret.txt'))).toThrow('absolute path');
    expect(() => source.read('missing.png')).toThrow(`missing.png is not in ${dir}`);
    expect(containedName('./x\\y.png')).toEqual({ name: 'x/y.png' });
  });

  it('names what was given instead of a folder or zip', () => {
    expect(() => openSource(join(dir, 'a.png'))).toThrow('a.png is a PNG image, not a folder or a zip');
    expect(() => openSource(join(root, 'secret.txt'))).toThrow('not a zip file');
    expect(() => openSource(join(root, 'nope'))).toThrow('no such file or folder');
    mkdirSync(join(root, 'empty'));
    expect(() => openSource(join(root, 'empty'))).toThrow('is an empty folder');
  });
});
