/** numpy.linspace: start + i * step, with the last element set to `stop` exactly. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, i) => i * step + start);
  out[num - 1] = stop;
  return out;
}

/**
 * numpy.round / torch.round: halves go to the even neighbour. Math.round sends them
 * up, which picks a different timestep for e.g. 7 DDIM steps (166.5 -> 166, not 167).
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
