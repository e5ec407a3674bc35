/**
 * Seeded randomness that is bit-identical in every JavaScript engine: mulberry32
 * (32-bit integer arithmetic only) for uniforms, Box-Muller for normals. This is
 * also how the reference-v0 golden run made its initial noise, so seed 1234 here
 * reproduces shared/models/reference-v0/golden/noise.f32 exactly.
 */

const TWO_POW_32 = 4294967296;

/** Returns a function that yields uniforms in [0, 1), 32 bits each. */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
}

/**
 * `count` standard-normal values from `seed`: each pair of uniforms (u1, u2) gives
 * r*cos(2 pi u2), r*sin(2 pi u2) with r = sqrt(-2 ln u1). A u1 of exactly 0
 * (probability 2^-32) is nudged to 2^-32 so the value stays finite.
 */
export function standardNormal(seed: number, count: number): Float32Array {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0..${0xffffffff}, got ${seed}`);
  }
  const uniform = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u1 = uniform() || 1 / TWO_POW_32;
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** A fresh random seed for the dice button (not for anything that needs secrecy). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}
