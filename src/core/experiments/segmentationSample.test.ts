import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csvTable.ts';
import { clampedLogit, LOGIT_CLAMP, pairMaskFromPng, realSegPairs, segmentationSample } from './segmentationSample.ts';

const image = { width: 2, height: 2, values: Float32Array.from([0, 64, 128, 255]), window: { center: 128, width: 256 }, invert: false };

describe('clampedLogit', () => {
  it('is the logit inside the clamp and finite at 0 and 1', () => {
    expect(clampedLogit(0.5)).toBe(0);
    expect(clampedLogit(0.9)).toBeCloseTo(Math.log(9), 12);
    expect(clampedLogit(1)).toBeCloseTo(Math.log((1 - LOGIT_CLAMP) / LOGIT_CLAMP), 9);
    expect(clampedLogit(0)).toBeCloseTo(-clampedLogit(1), 9);
  });
});

describe('segmentationSample', () => {
  it('turns probabilities into clamped logits and the default-window image into 0..1 intensity', () => {
    const sample = segmentationSample(image, Float32Array.from([0, 0.5, 0.9, 1]), Uint8Array.from([0, 1, 1, 0]));
    expect(Array.from(sample.logits)).toEqual([clampedLogit(0), 0, clampedLogit(Math.fround(0.9)), clampedLogit(1)]);
    expect(sample.intensity[0]).toBe(0);
    expect(sample.intensity[3]).toBeCloseTo(1, 2);
    expect(sample.intensity[1]).toBeLessThan(sample.intensity[2]);
    expect(Array.from(sample.mask)).toEqual([0, 1, 1, 0]);
  });

  it('refuses a mask of another size, naming the image', () => {
    expect(() => segmentationSample(image, new Float32Array(4), new Uint8Array(9), 'a.png')).toThrow('a.png: its mask has 9 pixels, the image 2x2 = 4');
  });
});

describe('pairMaskFromPng', () => {
  it('binarises at half range (8- and 16-bit)', () => {
    const eight = encode({ width: 2, height: 2, channels: 1, depth: 8, data: Uint8Array.from([0, 127, 128, 255]) });
    expect(Array.from(pairMaskFromPng(eight, { width: 2, height: 2 }, 'm.png', 'i.png'))).toEqual([0, 0, 1, 1]);
    const sixteen = encode({ width: 2, height: 2, channels: 1, depth: 16, data: Uint16Array.from([0, 30000, 40000, 65535]) });
    expect(Array.from(pairMaskFromPng(sixteen, { width: 2, height: 2 }, 'm.png', 'i.png'))).toEqual([0, 0, 1, 1]);
  });

  it('refuses a mask whose size differs from its image, and a file that is no PNG', () => {
    const mask = encode({ width: 4, height: 4, channels: 1, depth: 8, data: new Uint8Array(16) });
    expect(() => pairMaskFromPng(mask, { width: 2, height: 2 }, 'm.png', 'i.png')).toThrow('m.png: 4x4, the image i.png is 2x2');
    expect(() => pairMaskFromPng(new TextEncoder().encode('no png'), { width: 2, height: 2 }, 'm.png', 'i.png')).toThrow('m.png');
  });
});

describe('realSegPairs', () => {
  const table = parseCsv('file,mask,split\na.png,ma.png,train\nb.png,,train\nc.png,mc.png,test\nd.png,md.png,val\n');

  it('keeps the rows of the split that have a mask, in file order', () => {
    expect(realSegPairs(table, 'train')).toEqual([{ image: 'a.png', mask: 'ma.png' }]);
    expect(realSegPairs(table, 'test')).toEqual([{ image: 'c.png', mask: 'mc.png' }]);
  });

  it('names the columns it needs and the ones it found', () => {
    expect(() => realSegPairs(parseCsv('file,label,split\na.png,normal,train\n'), 'train', 'x/labels.csv'))
      .toThrow('x/labels.csv: needs columns file, mask, split; has [file, label, split]');
  });
});
