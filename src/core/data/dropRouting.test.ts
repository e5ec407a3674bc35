import { describe, expect, it } from 'vitest';
import { routeDrop } from './dropRouting.ts';

const drop = (...paths: string[]) => paths.map((path) => ({ path, file: path }));

describe('routing a drop on the Evaluate page', () => {
  it('routes a cxr256-style folder: images/, masks/, labels.csv', () => {
    const r = routeDrop(drop('set/labels.csv', 'set/images/a.png', 'set/images/b.dcm', 'set/masks/a.png', 'set/masks_heart/a.png', 'set/notes.md', 'set/images/IM0001'));
    expect(r.labels?.path).toBe('set/labels.csv');
    expect(r.images.map((d) => d.path)).toEqual(['set/images/a.png', 'set/images/b.dcm', 'set/images/IM0001']);
    expect(r.masks.map((d) => d.path)).toEqual(['set/masks/a.png', 'set/masks_heart/a.png']);
    expect(r.ignored).toEqual([{ path: 'set/notes.md', reason: 'not a PNG, JPEG, DICOM, CSV or zip' }]);
  });
  it('routes zips by name and keeps the shallowest table', () => {
    const r = routeDrop(drop('images.zip', 'masks.zip', 'labels.csv', 'old/labels.csv'));
    expect([r.images.map((d) => d.path), r.masks.map((d) => d.path), r.labels?.path]).toEqual([['images.zip'], ['masks.zip'], 'labels.csv']);
    expect(r.ignored).toEqual([{ path: 'old/labels.csv', reason: 'a second table; labels.csv is the labels file' }]);
  });
  it('does not mix a zip with loose images of the same role', () => {
    const r = routeDrop(drop('test.zip', 'x.png'));
    expect(r.images.map((d) => d.path)).toEqual(['test.zip']);
    expect(r.ignored).toEqual([{ path: 'x.png', reason: 'images come from the zip in this drop' }]);
  });
});
