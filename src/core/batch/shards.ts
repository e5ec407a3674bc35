import { StudioError } from '../errors.ts';

/** One of `count` shards, `index` 0-based (as Kubernetes' JOB_COMPLETION_INDEX). */
export interface Shard {
  index: number;
  count: number;
}

export interface SeedRange {
  start: number;
  count: number;
}

/** "i/n" (0 <= i < n), as --shard takes it. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) {
    throw new StudioError('settings-invalid', `shard: expected "i/n" with 0 <= i < n (i is 0-based, as JOB_COMPLETION_INDEX), received "${text}"`);
  }
  return { index, count };
}

/**
 * The seeds of shard `index` of `count`: contiguous, in order, sizes differing by at
 * most one, together exactly the job's range. A shard past the last seed is empty.
 */
export function shardSeeds(seeds: SeedRange, shard: Shard): SeedRange {
  if (!(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new RangeError(`shardSeeds: expected 0 <= index < count, received ${shard.index}/${shard.count}`);
  }
  const from = Math.floor((shard.index * seeds.count) / shard.count);
  const to = Math.floor(((shard.index + 1) * seeds.count) / shard.count);
  return { start: seeds.start + from, count: to - from };
}

/** `count` shards of the job's seeds, at most one per seed. */
export function planShards(seeds: SeedRange, count: number): Shard[] {
  const n = Math.max(1, Math.min(count, seeds.count));
  return Array.from({ length: n }, (_, index) => ({ index, count: n }));
}
