import { describe, expect, it } from 'vitest';
import { renderMasks } from './renderMasks.ts';

describe('renderMasks', () => {
  it('blends each visible layer in its colour over the reference, skipping hidden ones', () => {
    const reference = Uint8ClampedArray.of(100, 100, 100);
    const lung = Uint8Array.of(1, 0, 1);
    const lesion = Uint8Array.of(0, 0, 1);
    const out = renderMasks(1, reference.subarray(0, 1), [[lung, { colour: '#ff0000', visible: true }]], 0.5);
    expect(Array.from(out)).toEqual([178, 50, 50, 255]);
    const three = new Uint8ClampedArray(12);
    renderMasks(1, undefined, [[lung, { colour: '#ff0000', visible: false }], [lesion, { colour: '#00ff00', visible: true }]], 1, three);
    expect(Array.from(three.subarray(0, 4))).toEqual([0, 0, 0, 255]);
  });
});
