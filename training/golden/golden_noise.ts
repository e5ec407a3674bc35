// Writes the studio's initial noise for a seed (src/core/rng.ts) as raw float32, so the
// PyTorch reference sampler (training/golden/golden_generate.py) starts from the same latents.
// Usage: npx tsx training/golden/golden_noise.ts SEED COUNT OUT.f32
import { writeFileSync } from 'node:fs';
import { standardNormal } from '../../src/core/rng.ts';

const [seed, count, out] = process.argv.slice(2);
const noise = standardNormal(Number(seed), Number(count));
writeFileSync(out, Buffer.from(noise.buffer, noise.byteOffset, noise.byteLength));
