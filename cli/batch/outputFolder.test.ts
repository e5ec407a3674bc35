import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { REJECTED } from './outputFolder.ts';

const SHARD = resolve(import.meta.dirname, 'testing/finishShards.ts');
const work = mkdtempSync(join(tmpdir(), 'cxr-labels-race-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The image column of a labels.csv, in file order (empty when there is none). */
function labelledImages(path: string): string[] {
  if (!existsSync(path)) return [];
  return parse<{ image: string }>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data.map((row) => row.image);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('labels.csv with shards finishing at once', () => {
  it('lists every finished image exactly once when three processes finish a shard together, round after round', async () => {
    const out = join(work, 'out');
    const signals = join(work, 'signals');
    mkdirSync(signals, { recursive: true });
    const rounds = 25;
    const tags = ['a', 'b', 'c'];
    const shards = tags.map((tag) => {
      const child = spawn(process.execPath, ['--import', 'tsx', SHARD, out, signals, tag, String(rounds)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return { tag, child, exit: new Promise<string>((r) => child.once('exit', (code) => r(`${tag} exited ${code}: ${stderr}`))) };
    });
    const stale: string[] = [];
    try {
      for (let round = 1; round <= rounds; round++) {
        writeFileSync(join(signals, `go-${round}`), '');
        await until(() => tags.every((tag) => existsSync(join(signals, `${tag}-done-${round}`))), `round ${round}`);
        const expected = (kept: boolean) => tags.flatMap((tag) => Array.from({ length: round }, (_, i) => i + 1).filter((r) => (r % 2 === 1) === kept).map((r) => `images/${tag}-r${r}.png`)).sort();
        const kept = labelledImages(join(out, 'labels.csv'));
        const rejected = labelledImages(join(out, REJECTED, 'labels.csv'));
        if (JSON.stringify([...kept].sort()) !== JSON.stringify(expected(true)) || JSON.stringify([...rejected].sort()) !== JSON.stringify(expected(false))) {
          stale.push(`round ${round}: labels.csv ${kept.length} of ${expected(true).length} kept, rejected/labels.csv ${rejected.length} of ${expected(false).length}`);
        }
      }
      expect(await Promise.all(shards.map((s) => s.exit))).toEqual(tags.map((tag) => `${tag} exited 0: `));
    } finally {
      for (const s of shards) if (s.child.exitCode === null) s.child.kill();
    }
    expect(stale).toEqual([]);
    // nothing half-written is left behind
    expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
