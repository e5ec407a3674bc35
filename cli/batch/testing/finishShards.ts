import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVENANCE_FORMAT, type Provenance } from '../../../src/core/pipelines/provenance.ts';
import { writeImage, writeLabels } from '../outputFolder.ts';

/**
 * A shard that finishes `rounds` times in OUT, as runShard ends: one image (kept on odd
 * rounds, rejected on even ones), then labels.csv rebuilt. Each round waits for
 * SIGNALS/go-<r> and announces SIGNALS/<tag>-done-<r>, so two of these finish together.
 * Run by outputFolder.test.ts: node --import tsx finishShards.ts OUT SIGNALS TAG ROUNDS
 */
const [out, signals, tag, rounds] = process.argv.slice(2);
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);

async function waitFor(path: string): Promise<void> {
  while (!existsSync(path)) await new Promise((r) => setTimeout(r, 2));
}

for (let round = 1; round <= Number(rounds); round++) {
  await waitFor(join(signals, `go-${round}`));
  const stem = `${tag}-r${round}`;
  const provenance: Provenance = {
    format: PROVENANCE_FORMAT, synthetic: true, prompt: 'chest x-ray, pneumonia, adult', input_ids: [], unknown_words: [], seed: round, steps: 2, guidance: 3, scheduler: 'ddim',
    model: { id: 'test', name: 'test', files: {} }, mask: null, engine: 'cpu', created: new Date(0).toISOString(), elapsed_ms: 1,
  };
  writeImage(out, { id: stem, png, side: 2, provenance, proxy: null, reviews: [] }, stem, round % 2 === 1);
  writeLabels(out);
  writeFileSync(join(signals, `${tag}-done-${round}`), '');
}
