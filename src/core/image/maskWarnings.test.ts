import { describe, expect, it } from 'vitest';
import { maskWarnings } from './maskWarnings.ts';

const side = 64;
function disc(on: number, off: number): Uint8Array {
  return Uint8Array.from({ length: side * side }, (_, i) => (Math.hypot((i % side) - 32, Math.floor(i / side) - 32) < 20 ? on : off));
}

describe('maskWarnings', () => {
  it('is quiet for a plausible lung-sized mask and for an empty one', () => {
    expect(maskWarnings(disc(1, 0), side, side)).toEqual([]);
    expect(maskWarnings(new Uint8Array(side * side), side, side)).toEqual([]);
  });

  it('warns on an inverted mask (most of the frame, border included)', () => {
    expect(maskWarnings(disc(0, 1), side, side)).toEqual([expect.stringMatching(/covers 70% of the frame including its border: it looks inverted/)]);
  });

  it('warns on a nearly empty mask and on a mask read from the alpha channel', () => {
    const speck = new Uint8Array(side * side);
    speck[100] = 1;
    expect(maskWarnings(speck, side, side)).toEqual([expect.stringMatching(/nearly empty: 1 foreground pixel/)]);
    expect(maskWarnings(disc(1, 0), side, side, ['the gray channels are uniform and the picture is in the alpha channel: read from alpha'])).toEqual([expect.stringMatching(/alpha channel/)]);
  });
});
